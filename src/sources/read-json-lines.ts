import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { FileError, messageOf } from "../errors.js";

/**
 * One line of a JSON Lines file: its parsed value, or why it is not JSON. A visitor that returns
 * a promise pauses reading until it settles (backpressure, e.g. while a batch is written).
 */
export type JsonLineVisitor = (value: unknown, line: number, error: string | undefined) => void | Promise<void>;

/** Progress through one file: bytes read from disk so far, and the file's size. */
export type ProgressListener = (bytesRead: number, fileSize: number) => void;

async function isGzip(path: string): Promise<{ gzip: boolean; size: number }> {
  let fh;
  try {
    fh = await open(path, "r");
  } catch (e) {
    throw new FileError(`cannot read ${path}: ${describe(e)}`, path);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new FileError(`cannot read ${path}: it is a directory`, path);
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return { gzip: bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b, size: st.size };
  } finally {
    await fh.close();
  }
}

function describe(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  return messageOf(e);
}

/**
 * Streams a JSON Lines file (plain or gzip, told by its first bytes) line by line, in constant
 * memory. Blank lines are skipped; a line that is not JSON is passed on with why.
 * Throws FileError when the file cannot be read or its gzip data is corrupt.
 */
export async function readJsonLines(path: string, visit: JsonLineVisitor, onProgress?: ProgressListener): Promise<number> {
  const { gzip, size } = await isGzip(path);
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = gzip ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  raw.on("error", (e) => stream.destroy(e));
  const decoder = new StringDecoder("utf8");
  let rest = "";
  let lineNo = 0;
  // An error thrown by the visitor is its own: it passes on unchanged, not as a read error.
  let visitorError: { error: unknown } | undefined;
  const handle = (text: string): void | Promise<void> => {
    const t = text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
    lineNo++;
    if (t.trim() === "") return;
    let value: unknown;
    let why: string | undefined;
    try {
      value = JSON.parse(t);
    } catch (e) {
      why = `not JSON (${messageOf(e).replace(/^Unexpected token/, "unexpected token")})`;
    }
    try {
      const pending = visit(value, lineNo, why);
      return pending?.catch((error: unknown) => {
        visitorError = { error };
        throw error;
      });
    } catch (error) {
      visitorError = { error };
      throw error;
    }
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = rest + decoder.write(chunk);
      let from = 0;
      let nl = text.indexOf("\n", from);
      while (nl !== -1) {
        const pending = handle(text.slice(from, nl));
        if (pending !== undefined) await pending;
        from = nl + 1;
        nl = text.indexOf("\n", from);
      }
      rest = text.slice(from);
      onProgress?.(raw.bytesRead, size);
    }
  } catch (e) {
    if (visitorError !== undefined) throw visitorError.error;
    throw new FileError(`cannot read ${path}: ${gzip ? "corrupt gzip data: " : ""}${describe(e)}`, path);
  }
  const tail = rest + decoder.end();
  if (tail !== "") await handle(tail);
  onProgress?.(size, size);
  return lineNo;
}
