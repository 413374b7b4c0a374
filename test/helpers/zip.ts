/**
 * Writing small zip archives in tests (yazl), e.g. a pytorch_model.bin whose data.pkl was replaced.
 */
import { createWriteStream } from "node:fs";
import yazl from "yazl";

/** Writes `entries` (name → bytes, stored uncompressed as torch.save does) to `path`. */
export function writeZip(path: string, entries: ReadonlyArray<readonly [string, Uint8Array]>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(Buffer.from(data), name, { compress: false });
  zip.end();
  return new Promise((resolve, reject) => {
    const out = createWriteStream(path);
    out.on("close", () => resolve());
    out.on("error", reject);
    zip.outputStream.on("error", reject).pipe(out);
  });
}
