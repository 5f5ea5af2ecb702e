import { availableParallelism } from "node:os";
import { createAudit, type AttemptVisitor, type AuditOptions, type Report } from "../core/index.js";
import { auditInWorkers, planTasks } from "./audit-in-workers.js";
import { feedFile } from "./feed-file.js";
import { probeFile } from "./read-lines.js";

export { feedFile } from "./feed-file.js";

/** Progress over all files: bytes read so far, total bytes, lines seen. */
export type AuditProgress = (bytesRead: number, totalBytes: number, lines: number) => void;

/** Options for auditing event files. */
export interface AuditFilesOptions extends AuditOptions {
  /** Threads to read with (default: `defaultThreads`: one per core up to 4 for inputs of 48 MB to 1 GiB on machines of 4 cores or more; 1 reads in this thread). */
  readonly threads?: number;
  /** Bytes in each task (a byte range of a plain file) the threads take in turn (default: the input split in eight per thread, at least 4 MB). */
  readonly pieceBytes?: number;
  readonly onProgress?: AuditProgress;
  readonly visit?: AttemptVisitor;
  /** How to name a file in problems (default: as given). */
  readonly displayName?: (path: string) => string;
}

/** Below this, starting workers costs more than it saves. */
const THREADS_FROM_BYTES = 48 * 1024 * 1024;
/**
 * Above this, memory comes before speed: each worker holds a partial attempt table until the
 * merge, which adds about half the table again (10M events: 570 MB with two threads, 456 MB with one).
 */
const ONE_THREAD_FROM_BYTES = 1024 * 1024 * 1024;

/**
 * Below this many cores, one thread: on a 2-core VM two threads read the 1M log in 2.71 s where
 * one took 2.42 s, with 43% more CPU (docs/benchmarks.md). Each running thread got well under a
 * core (two audits at once ran at 1.45× the throughput of one), less than a worker costs: its
 * start, its own compiling, and the merge.
 */
const THREADS_FROM_CORES = 4;

/**
 * How many threads an audit of `totalBytes` uses by default: one per core (up to 4) for inputs
 * from 48 MB to 1 GiB on machines of 4 cores or more; one below 48 MB (workers cost more than
 * they save), above 1 GiB (memory) and on fewer cores.
 */
export function defaultThreads(totalBytes: number, cores = availableParallelism()): number {
  if (cores < THREADS_FROM_CORES) return 1;
  return totalBytes < THREADS_FROM_BYTES || totalBytes > ONE_THREAD_FROM_BYTES ? 1 : Math.min(cores, 4);
}

/**
 * Audits JSON Lines event files (plain or gzip), streaming: memory grows with the number of
 * attempts, not with file size. Big inputs are split into byte ranges read by worker threads,
 * whose partial audits merge into exactly the report one thread would give. Bad lines become
 * problems; unreadable files throw FileError.
 */
export async function auditFiles(files: readonly string[], options: AuditFilesOptions): Promise<Report> {
  const audit = createAudit(options);
  const name = (f: string): string => options.displayName?.(f) ?? f;
  const probes = await Promise.all(files.map((f) => probeFile(f, name(f))));
  const total = probes.reduce((a, p) => a + p.size, 0);
  const threads = options.threads ?? defaultThreads(total);
  if (threads <= 1) {
    let done = 0;
    let lines = 0;
    for (const [k, file] of files.entries()) {
      const n = await feedFile(audit, file, name(file), options.onProgress ? (read, l) => options.onProgress!(done + read, total, lines + l) : undefined);
      lines += n;
      done += probes[k]!.size;
    }
  } else {
    await auditInWorkers(audit, planTasks(files, probes, threads, name, options.pieceBytes), threads, total, options.onProgress);
  }
  return audit.finish(options.visit);
}
