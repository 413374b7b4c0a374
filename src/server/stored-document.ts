/**
 * Documents as the API shows them, `{id, title?, text?, payload?}`, and as the index stores them (the
 * segment payload, any JSON). Written through the API: `{title?, text, payload?}`. Written by `splade index
 * build`: `{title, text}`. Written by a library user: anything; an object with a string `text` keeps its
 * title and text and its other fields become the payload, and any other value is the payload as it is.
 */
export interface ApiDocument {
  title?: string;
  text?: string;
  payload?: unknown;
}

export function toStoredPayload(doc: { title?: string; text: string; payload?: unknown }): Record<string, unknown> {
  return {
    ...(doc.title !== undefined && doc.title !== "" ? { title: doc.title } : {}),
    text: doc.text,
    ...(doc.payload !== undefined ? { payload: doc.payload } : {}),
  };
}

export function fromStoredPayload(stored: unknown): ApiDocument {
  if (stored === undefined) return {};
  if (typeof stored !== "object" || stored === null || Array.isArray(stored) || typeof (stored as { text?: unknown }).text !== "string") return { payload: stored };
  const { title, text, payload, ...rest } = stored as Record<string, unknown>;
  const extra = payload !== undefined ? payload : Object.keys(rest).length > 0 ? rest : undefined;
  return {
    ...(typeof title === "string" ? { title } : {}),
    text: text as string,
    ...(extra !== undefined ? { payload: extra } : {}),
  };
}

/** The text a document is encoded from: "title text" when it has a title (BEIR's convention, `--title`). */
export function encodedText(doc: { title?: string; text: string }): string {
  return doc.title !== undefined && doc.title !== "" ? `${doc.title} ${doc.text}` : doc.text;
}
