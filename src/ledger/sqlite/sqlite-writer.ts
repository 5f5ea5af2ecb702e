import { startWorker } from "../../sources/start-worker.js";
import { packedBuffers, type PackedBatch } from "../packed-batch.js";
import type { WriterReply, WriterRequest } from "./sqlite-writer-worker.js";

/** A writer thread for one SQLite ledger file (see sqlite-writer-worker.ts). */
export interface SqliteWriter {
  /** Writes one packed batch in one transaction on the writer thread; resolves with how many were new. */
  write(batch: PackedBatch): Promise<number>;
  /** Closes the writer's connection and ends the thread (after the writes already posted). */
  close(): Promise<void>;
}

/** Starts the writer thread of the ledger in `file` (which must exist, its schema current). */
export function startSqliteWriter(file: string): SqliteWriter {
  const worker = startWorker(import.meta.url, "sqlite-writer-worker", { file });
  const waiting = new Map<number, { resolve: (added: number) => void; reject: (e: Error) => void }>();
  let next = 0;
  let ended: Error | undefined;
  const fail = (e: Error): void => {
    ended ??= e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.on("message", (r: WriterReply) => {
    const w = waiting.get(r.id);
    if (w === undefined) return;
    waiting.delete(r.id);
    if (waiting.size === 0) worker.unref();
    if ("error" in r) w.reject(Object.assign(new Error(r.error), r.code === undefined ? {} : { code: r.code }));
    else w.resolve(r.added);
  });
  worker.on("error", fail);
  const exited = new Promise<void>((resolve) =>
    worker.on("exit", (code) => {
      fail(new Error(`the ledger's writer thread stopped (code ${code})`));
      resolve();
    }),
  );
  // An idle writer does not keep the process alive; one with writes in flight does.
  worker.unref();
  return {
    write(packed) {
      if (ended !== undefined) return Promise.reject(ended);
      const id = next++;
      return new Promise<number>((resolve, reject) => {
        if (waiting.size === 0) worker.ref();
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, batch: packed } satisfies WriterRequest, packedBuffers(packed));
      });
    },
    async close() {
      if (ended === undefined) {
        worker.ref(); // until it has exited
        worker.postMessage({ close: true } satisfies WriterRequest);
      }
      await exited;
    },
  };
}
