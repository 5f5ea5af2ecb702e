import { createAudit, type AttemptVisitor, type AuditOptions, type Report } from "../core/index.js";
import { readJsonLines } from "./read-json-lines.js";

/** Progress over all files: bytes read so far, total bytes, events seen. */
export type AuditProgress = (bytesRead: number, totalBytes: number, lines: number) => void;

/** Options for auditing event files. */
export interface AuditFilesOptions extends AuditOptions {
  readonly onProgress?: AuditProgress;
  readonly visit?: AttemptVisitor;
  /** How to name a file in problems (default: as given). */
  readonly displayName?: (path: string) => string;
}

/**
 * Audits JSON Lines event files (plain or gzip), streaming: memory grows with the number of
 * attempts, not with file size. Bad lines become problems; unreadable files throw FileError.
 */
export async function auditFiles(files: readonly string[], options: AuditFilesOptions): Promise<Report> {
  const audit = createAudit(options);
  const { stat } = await import("node:fs/promises");
  const sizes = await Promise.all(files.map(async (f) => (await stat(f).catch(() => ({ size: 0 }))).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  let done = 0;
  let lines = 0;
  for (const [k, file] of files.entries()) {
    const name = options.displayName?.(file) ?? file;
    await readJsonLines(
      file,
      (value, line, error) => {
        lines++;
        if (error !== undefined) audit.addProblem({ file: name, line }, error);
        else audit.addValue(value, { file: name, line });
      },
      options.onProgress ? (read) => options.onProgress!(done + read, total, lines) : undefined,
    );
    done += sizes[k]!;
  }
  return audit.finish(options.visit);
}
