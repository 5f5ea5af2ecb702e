// A worker thread's share of an audit: reads the task it is given, then takes tasks (byte
// ranges of the event files, or whole gzip files) from a counter shared with the other threads.
// It reads them with the fast scanner, folds them into its own partial audit, and sends that
// back to be merged.
import { parentPort, workerData } from "node:worker_threads";
import { createAudit, type CollectedPart } from "../core/index.js";
import { isFileError } from "../errors.js";
import { feedFile } from "./feed-file.js";

/** One piece of input for a worker: a file, or a byte range of a plain file. */
export interface AuditTask {
  readonly id: number;
  readonly file: string;
  readonly name: string;
  readonly range?: { readonly start: number; readonly end: number };
  /** Bytes to read (the range's, or the file's). */
  readonly size: number;
}

/** What a worker sends back: its partial audit and how many lines each of its tasks had. */
export interface WorkerResult {
  readonly part: CollectedPart;
  readonly lines: readonly (readonly [number, number])[];
}

/** Progress from a worker: bytes read since the last message. */
export interface WorkerProgress {
  readonly progress: number;
}

async function run(tasks: readonly AuditTask[], first: number, next: Int32Array): Promise<void> {
  const audit = createAudit({ policies: [] });
  const lines: [number, number][] = [];
  // Its own first task, then each next one no thread has taken yet.
  for (let k = first; k < tasks.length; k = Atomics.add(next, 0, 1)) {
    const task = tasks[k]!;
    let last = 0;
    const n = await feedFile(
      audit,
      task.file,
      task.name,
      (read) => {
        parentPort!.postMessage({ progress: read - last } satisfies WorkerProgress);
        last = read;
      },
      task.range,
      task.id,
    );
    lines.push([task.id, n]);
  }
  const { part, transfer } = audit.part();
  const result: WorkerResult = { part, lines };
  parentPort!.postMessage(result, transfer);
}

try {
  const data = workerData as { tasks: AuditTask[]; first: number; next: SharedArrayBuffer };
  await run(data.tasks, data.first, new Int32Array(data.next));
} catch (e) {
  // Error classes do not cross threads: send the message and file, and let the caller rethrow.
  if (isFileError(e)) parentPort!.postMessage({ error: e.message, file: e.file });
  else throw e;
}
