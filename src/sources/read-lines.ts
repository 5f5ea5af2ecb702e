import { open, stat } from "node:fs/promises";
import { FileError, messageOf } from "../errors.js";
import { fileChunks, streamChunks } from "./chunks.js";
import { STDIN_PATH } from "./given-files.js";

/**
 * One line's bytes: `buf[start, end)`, without its newline (or a trailing CR), and its number.
 * A visitor that returns a promise pauses reading until it settles (backpressure, e.g. while a
 * batch is written); the bytes stay valid until then.
 */
export type LineVisitor = (buf: Buffer, start: number, end: number, line: number) => void | Promise<void>;

/** Progress through one file: bytes read from disk so far, and the file's size. */
export type ProgressListener = (bytesRead: number, fileSize: number) => void;

/** What probing a file tells: gzip (by its first bytes), its size, and whether it can be read at any offset. */
export interface FileProbe {
  readonly gzip: boolean;
  readonly size: number;
  /** False for a pipe or a device (`<(zcat …)`, /dev/stdin): read once, from the start, in one piece. */
  readonly seekable: boolean;
}

/**
 * Opens a file to check it is readable; tells gzip (by its first bytes) and its size. A pipe or
 * a device is only looked at, not opened (opening and closing a pipe's reading end could end its
 * writer), and reads as size 0, not seekable; its gzip is told from its first bytes when read.
 * Errors name the file as `name` (default: the path), e.g. as the user gave it.
 */
export async function probeFile(path: string, name = path): Promise<FileProbe> {
  if (path === STDIN_PATH) return { gzip: false, size: 0, seekable: false };
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw new FileError(`cannot read ${name}: ${messageOf(e)}`, path);
  }
  if (st.isDirectory()) throw new FileError(`cannot read ${name}: it is a folder`, path);
  if (!st.isFile()) return { gzip: false, size: 0, seekable: false };
  let fh;
  try {
    fh = await open(path, "r");
  } catch (e) {
    throw new FileError(`cannot read ${name}: ${messageOf(e)}`, path);
  }
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return { gzip: bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b, size: st.size, seekable: true };
  } finally {
    await fh.close();
  }
}

/** A byte range of a plain file: the lines that start in [start, end). */
export interface LineRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Streams a file (plain or gzip) line by line as bytes, in constant memory: no line is copied
 * unless it spans two read chunks. A UTF-8 byte order mark at the start is skipped. With a
 * `range` (plain files only), visits just the lines that start inside it, numbered from 1, so
 * ranges that tile a file visit every line exactly once.
 * Throws FileError when the file cannot be read or its gzip data is corrupt, naming it as
 * `name` (default: the path). Returns the line count.
 */
export async function readLines(path: string, visit: LineVisitor, onProgress?: ProgressListener, range?: LineRange, name = path): Promise<number> {
  const { gzip, size, seekable } = await probeFile(path, name);
  if (range && (gzip || !seekable)) throw new FileError(`cannot read part of ${name}: it is ${gzip ? "gzip" : "a pipe or a device"}`, path);
  // A range starting mid-file begins one byte early: if that byte is a newline, the range starts a line.
  const from0 = range && range.start > 0 ? range.start - 1 : 0;
  // A plain file is read at offsets; gzip, a pipe or a device as one stream (gunzipped by its first bytes).
  const source = seekable && !gzip ? fileChunks(path, from0, range ? range.end : size) : streamChunks(path);
  const limit = range ? range.end : Number.POSITIVE_INFINITY;
  let skipping = range !== undefined && range.start > 0;
  let rest: Buffer | undefined;
  let restOffset = 0; // file offset of rest[0]
  let offset = from0; // file offset of the current chunk's first byte (plain files)
  let line = 0;
  let first = !range || range.start === 0;
  let done = false;
  // An error thrown by the visitor is its own: it passes on unchanged, not as a read error.
  let visitorError: { error: unknown } | undefined;
  const emit = (buf: Buffer, start: number, end: number, lineOffset: number): void | Promise<void> => {
    if (lineOffset >= limit) {
      done = true;
      return;
    }
    line++;
    if (end > start && buf[end - 1] === 13) end--;
    if (first) {
      first = false;
      if (end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    }
    try {
      // A visitor typed to return void may still return a value: only a promise pauses.
      const pending: unknown = visit(buf, start, end, line);
      if (!(pending instanceof Promise)) return;
      return pending.catch((error: unknown) => {
        visitorError = { error };
        throw error;
      });
    } catch (error) {
      visitorError = { error };
      throw error;
    }
  };
  try {
    for await (const chunk of source) {
      let from = 0;
      let nl = chunk.indexOf(10, 0);
      if (skipping) {
        if (nl === -1) {
          offset += chunk.length;
          continue;
        }
        skipping = false;
        from = nl + 1;
        nl = chunk.indexOf(10, from);
      } else if (rest !== undefined) {
        if (nl === -1) {
          rest = Buffer.concat([rest, chunk]);
          offset += chunk.length;
          continue;
        }
        const joined = Buffer.concat([rest, chunk.subarray(0, nl)]);
        rest = undefined;
        const pending = emit(joined, 0, joined.length, restOffset);
        if (pending !== undefined) await pending;
        from = nl + 1;
        nl = chunk.indexOf(10, from);
      }
      while (nl !== -1 && !done) {
        const pending = emit(chunk, from, nl, offset + from);
        if (pending !== undefined) await pending;
        from = nl + 1;
        nl = chunk.indexOf(10, from);
      }
      if (done) break;
      if (from < chunk.length) {
        rest = Buffer.from(chunk.subarray(from));
        restOffset = offset + from;
      }
      offset += chunk.length;
      onProgress?.(source.bytesRead(), size);
    }
  } catch (e) {
    if (visitorError !== undefined) throw visitorError.error;
    throw new FileError(`cannot read ${name}: ${gzip ? "corrupt gzip data: " : ""}${messageOf(e)}`, path);
  } finally {
    await source.return();
  }
  if (!done && rest !== undefined && rest.length > 0) await emit(rest, 0, rest.length, restOffset);
  onProgress?.(size, size);
  return line;
}
