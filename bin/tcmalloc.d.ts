/** Types of bin/tcmalloc.js (plain JavaScript, so that bin/splade.js can run it before dist/ loads). */
export declare const TCMALLOC: string;
export declare function tcmallocPreload(command: string | undefined, env?: NodeJS.ProcessEnv, exists?: (path: string) => boolean): string | null;
export declare function rerunWithTcmalloc(command: string | undefined): Promise<boolean>;
