import { renumberPart, type Audit } from "../core/index.js";
import { FileError } from "../errors.js";
import type { AuditTask, WorkerProgress, WorkerResult } from "./audit-worker.js";
import { feedFile } from "./feed-file.js";
import { startWorker } from "./start-worker.js";

/**
 * Splits files into tasks, largest first: byte ranges of plain files (eight per thread, but none
 * under 4 MB, so the thread that finishes first takes more), whole gzip files, pipes and devices.
 */
export function planTasks(files: readonly string[], probes: readonly { gzip: boolean; size: number; seekable?: boolean }[], threads: number, name: (f: string) => string, pieceBytes?: number): AuditTask[] {
  const total = probes.reduce((a, p) => a + p.size, 0);
  const piece = pieceBytes ?? Math.max(4 * 1024 * 1024, Math.ceil(total / (threads * 8)));
  const tasks: AuditTask[] = [];
  files.forEach((file, k) => {
    const { gzip, size, seekable } = probes[k]!;
    if (gzip || seekable === false || size <= piece) {
      tasks.push({ id: tasks.length, file, name: name(file), size });
      return;
    }
    for (let start = 0; start < size; start += piece) tasks.push({ id: tasks.length, file, name: name(file), range: { start, end: Math.min(size, start + piece) }, size: Math.min(size, start + piece) - start });
  });
  return tasks.sort((a, b) => b.size - a.size || a.id - b.id);
}

/**
 * Reads tasks on this thread and on worker threads: each thread is given one task to start
 * with, then takes the next from one shared counter as it finishes the last (so a thread that
 * starts late or reads slowly takes fewer). Then merges every worker's partial audit into
 * `audit`, with problem lines renumbered to whole-file lines. This thread's own tasks go
 * straight into `audit`, so the merge copies only the workers'. A failure on any thread stops
 * the others taking tasks.
 */
export async function auditInWorkers(audit: Audit, tasks: readonly AuditTask[], threads: number, total: number, onProgress?: (read: number, total: number, lines: number) => void): Promise<void> {
  let read = 0;
  const progress = (bytes: number): void => {
    read += bytes;
    onProgress?.(read, total, 0);
  };
  // Task 0 is this thread's first, task w + 1 worker w's; the counter hands out the rest.
  const count = Math.max(1, Math.min(threads, tasks.length));
  const next = new Int32Array(new SharedArrayBuffer(4));
  next[0] = count;
  const stop = (): void => void Atomics.store(next, 0, tasks.length);
  const workers = Array.from({ length: count - 1 }, (_, w) => runWorker(tasks, w + 1, next, progress));
  // A worker may fail while this thread still reads: the others stop taking tasks, and its error is raised below.
  for (const w of workers) w.catch(stop);
  const lineCount = new Map<number, number>();
  try {
    for (let k = 0; k < tasks.length; k = Atomics.add(next, 0, 1)) {
      const task = tasks[k]!;
      let last = 0;
      const n = await feedFile(
        audit,
        task.file,
        task.name,
        (r) => {
          progress(r - last);
          last = r;
        },
        task.range,
        task.id,
      );
      lineCount.set(task.id, n);
    }
  } catch (e) {
    // No worker starts another task; each finishes the one it reads.
    stop();
    throw e;
  } finally {
    // Settle every worker before returning or throwing, so none outlives the audit.
    await Promise.allSettled(workers);
  }
  const results = await Promise.all(workers);
  for (const r of results) for (const [id, n] of r.lines) lineCount.set(id, n);
  // Lines before each range: the line counts of the same file's earlier ranges.
  const offsets = new Map<number, number>();
  const byFile = new Map<string, AuditTask[]>();
  for (const t of tasks) byFile.set(t.file, [...(byFile.get(t.file) ?? []), t]);
  for (const list of byFile.values()) {
    let sum = 0;
    for (const t of list.sort((a, b) => (a.range?.start ?? 0) - (b.range?.start ?? 0))) {
      offsets.set(t.id, sum);
      sum += lineCount.get(t.id) ?? 0;
    }
  }
  audit.renumberProblems(offsets);
  // Each worker's part is merged, then let go.
  const parts: (WorkerResult | undefined)[] = results;
  for (let k = 0; k < parts.length; k++) {
    audit.absorb(renumberPart(parts[k]!.part, offsets));
    parts[k] = undefined;
  }
}

/** Runs task `first`, then tasks from the shared counter `next`, on a worker thread; resolves with its partial audit. */
function runWorker(tasks: readonly AuditTask[], first: number, next: Int32Array, progress: (bytes: number) => void): Promise<WorkerResult> {
  return new Promise<WorkerResult>((resolve, reject) => {
    const worker = startWorker(import.meta.url, "audit-worker", { tasks, first, next: next.buffer });
    worker.on("message", (m: WorkerResult | WorkerProgress | { error: string; file: string }) => {
      if ("progress" in m) progress(m.progress);
      else if ("error" in m) reject(new FileError(m.error, m.file));
      else resolve(m);
    });
    worker.on("error", reject);
    worker.on("exit", (code) => {
      if (code !== 0) reject(new Error(`an audit worker stopped with code ${code}`));
    });
  });
}
