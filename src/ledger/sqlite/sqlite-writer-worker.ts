// The SQLite ledger's writer thread: its own connection to the ledger file, writing the
// batches the store posts, one transaction each, in the order they arrive. The store builds the
// rows on its thread meanwhile, so an ingest keeps both processors busy.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { messageOf } from "../../errors.js";
import { unpackBatch, type PackedBatch } from "../packed-batch.js";
import { tuneConnection } from "./sqlite-connection.js";
import { prepareSqliteWrite } from "./sqlite-write.js";

/** A request to the writer: write a batch, or close the connection and end. */
export type WriterRequest = { readonly id: number; readonly batch: PackedBatch } | { readonly close: true };

/** The writer's answer to one batch: how many events were new, or why it failed. */
export type WriterReply = { readonly id: number; readonly added: number } | { readonly id: number; readonly error: string; readonly code?: string };

const port = parentPort!;
const { file } = workerData as { file: string };
let db: Database.Database | undefined;
let write: ((batch: ReturnType<typeof unpackBatch>) => number) | undefined;

port.on("message", (m: WriterRequest) => {
  if ("close" in m) {
    db?.close();
    port.close();
    return;
  }
  try {
    if (db === undefined) {
      // The store opened the file and brought its schema up to date before starting this thread.
      db = new Database(file, { fileMustExist: true, timeout: 30_000 });
      tuneConnection(db);
      write = prepareSqliteWrite(db);
    }
    port.postMessage({ id: m.id, added: write!(unpackBatch(m.batch)) } satisfies WriterReply);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    port.postMessage({ id: m.id, error: messageOf(e), ...(typeof code === "string" ? { code } : {}) } satisfies WriterReply);
  }
});
