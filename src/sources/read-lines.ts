import { open, stat } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { FileError, messageOf } from "../errors.js";
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
  try {
    const st = await stat(path);
    if (!st.isFile() && !st.isDirectory()) return { gzip: false, size: 0, seekable: false };
  } catch (e) {
    throw new FileError(`cannot read ${name}: ${messageOf(e)}`, path);
  }
  let fh;
  try {
    fh = await open(path, "r");
  } catch (e) {
    throw new FileError(`cannot read ${name}: ${messageOf(e)}`, path);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new FileError(`cannot read ${name}: it is a folder`, path);
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
  const source = !seekable ? pipeChunks(path) : gzip ? gunzipChunks(path) : fileChunks(path, from0, range ? range.end : size);
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

/** Chunks of a file's bytes as they are read, and how many bytes have been read so far. */
interface Chunks extends AsyncIterableIterator<Buffer> {
  bytesRead(): number;
  return(): Promise<IteratorResult<Buffer>>;
}

const CHUNK = 1 << 20;

/**
 * A plain file's bytes from `from` on, in chunks of up to 1 MB read into two buffers in turn:
 * the next chunk is read while the caller works on this one, and no buffer is allocated (or
 * paged in) per chunk. A chunk stays valid until the caller asks for the one after it. Reads
 * run ahead only while before `until`; past it, only as the caller asks (it stops at the first
 * line that starts at `until`, so it needs at most the rest of one line).
 */
function fileChunks(path: string, from: number, until: number): Chunks {
  const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  const handle = open(path, "r");
  handle.catch(() => undefined); // an error surfaces on the first read
  let turn = 0;
  let position = from;
  let read = 0;
  let ahead: { buf: Buffer; n: Promise<number> } | undefined;
  let closed = false;
  const readAt = (at: number): { buf: Buffer; n: Promise<number> } => {
    const buf = buffers[turn]!;
    turn ^= 1;
    const n = handle.then(async (h) => (await h.read(buf, 0, buf.length, at)).bytesRead);
    // A read ahead may fail while nobody awaits it yet: its error is raised by the next `next()`.
    n.catch(() => undefined);
    return { buf, n };
  };
  const chunks: Chunks = {
    [Symbol.asyncIterator]: () => chunks,
    bytesRead: () => read,
    async next(): Promise<IteratorResult<Buffer>> {
      if (closed) return { done: true, value: undefined };
      const r = ahead ?? readAt(position);
      ahead = undefined;
      const n = await r.n;
      if (n === 0) {
        await chunks.return();
        return { done: true, value: undefined };
      }
      position += n;
      read += n;
      if (position < until) ahead = readAt(position);
      return { done: false, value: r.buf.subarray(0, n) };
    },
    async return(): Promise<IteratorResult<Buffer>> {
      if (!closed) {
        closed = true;
        await ahead?.n.catch(() => 0);
        await handle.then((h) => h.close()).catch(() => undefined);
      }
      return { done: true, value: undefined };
    },
  };
  return chunks;
}

/** A gzip file's decompressed bytes, in chunks of up to 1 MB. */
function gunzipChunks(path: string): Chunks {
  const raw = createReadStream(path, { highWaterMark: CHUNK });
  const stream = raw.pipe(createGunzip({ chunkSize: CHUNK }));
  raw.on("error", (e) => stream.destroy(e));
  const it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const chunks: Chunks = {
    [Symbol.asyncIterator]: () => chunks,
    bytesRead: () => raw.bytesRead,
    next: () => it.next(),
    return(): Promise<IteratorResult<Buffer>> {
      // Both: destroying the gunzip stream alone leaves the file open.
      raw.destroy();
      stream.destroy();
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return chunks;
}

/**
 * A pipe's or a device's bytes (standard input's for STDIN_PATH), read once from the start: plain, or gunzipped when its first
 * two bytes are gzip's.
 */
function pipeChunks(path: string): Chunks {
  // Standard input is read as this process's own stream: it may be a socket, which has no path to open.
  const raw = path === STDIN_PATH ? process.stdin : createReadStream(path, { highWaterMark: CHUNK });
  const input = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let read = 0;
  let body: AsyncIterator<Buffer> | undefined;
  let gunzip: ReturnType<typeof createGunzip> | undefined;
  const next = async (): Promise<IteratorResult<Buffer>> => {
    const r = await input.next();
    if (!r.done) read += r.value.length;
    return r;
  };
  const start = async (): Promise<AsyncIterator<Buffer>> => {
    // Enough of the start to tell gzip: a pipe may give its first bytes one at a time.
    const head: Buffer[] = [];
    let have = 0;
    let ended = false;
    while (have < 2) {
      const r = await next();
      if (r.done) {
        ended = true;
        break;
      }
      head.push(r.value);
      have += r.value.length;
    }
    const first = Buffer.concat(head);
    async function* rest(): AsyncGenerator<Buffer> {
      if (first.length > 0) yield first;
      if (ended) return;
      for (let r = await next(); !r.done; r = await next()) yield r.value;
    }
    if (first.length < 2 || first[0] !== 0x1f || first[1] !== 0x8b) return rest();
    gunzip = createGunzip({ chunkSize: CHUNK });
    const source = Readable.from(rest());
    source.on("error", (e) => gunzip!.destroy(e));
    return source.pipe(gunzip)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  };
  const chunks: Chunks = {
    [Symbol.asyncIterator]: () => chunks,
    bytesRead: () => read,
    async next(): Promise<IteratorResult<Buffer>> {
      body ??= await start();
      return body.next();
    },
    return(): Promise<IteratorResult<Buffer>> {
      raw.destroy();
      gunzip?.destroy();
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return chunks;
}
