// Where a file's bytes come from, chunk by chunk, for the line reader: a plain file at offsets
// into two reused buffers, or anything else (gzip, a pipe, standard input) as one stream.
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { STDIN_PATH } from "./given-files.js";

/** Chunks of a file's bytes as they are read, and how many bytes have been read so far. */
export interface Chunks extends AsyncIterableIterator<Buffer> {
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
export function fileChunks(path: string, from: number, until: number): Chunks {
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

/**
 * A file's bytes read once from the start as a stream (a gzip file, a pipe, a device, or standard
 * input for STDIN_PATH): plain, or gunzipped when its first two bytes are gzip's.
 */
export function streamChunks(path: string): Chunks {
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
