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
  /** Worker threads to read with (default: one per core, up to 4, for inputs over 48 MB; 1 reads in this thread). */
  readonly threads?: number;
  /** Bytes in each worker's share of a plain file (default: the input split in four per thread, at least 8 MB). */
  readonly pieceBytes?: number;
  readonly onProgress?: AuditProgress;
  readonly visit?: AttemptVisitor;
  /** How to name a file in problems (default: as given). */
  readonly displayName?: (path: string) => string;
}

/** How many worker threads an audit of `totalBytes` uses by default: one per core for big inputs. */
export function defaultThreads(totalBytes: number): number {
  return totalBytes < 48 * 1024 * 1024 ? 1 : Math.min(availableParallelism(), 4);
}

/**
 * Audits JSON Lines event files (plain or gzip), streaming: memory grows with the number of
 * attempts, not with file size. Big inputs are split into byte ranges read by worker threads,
 * whose partial audits merge into exactly the report one thread would give. Bad lines become
 * problems; unreadable files throw FileError.
 */
export async function auditFiles(files: readonly string[], options: AuditFilesOptions): Promise<Report> {
  const audit = createAudit(options);
  const probes = await Promise.all(files.map((f) => probeFile(f)));
  const total = probes.reduce((a, p) => a + p.size, 0);
  const threads = options.threads ?? defaultThreads(total);
  const name = (f: string): string => options.displayName?.(f) ?? f;
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
