import { stat } from "node:fs/promises";
import type { Ledger, Problem, StoredEvent } from "../core/index.js";
import { readEvents } from "../sources/read-events.js";

/** Events per transaction: a crash loses at most one batch in flight, and a re-run adds it. */
export const INGEST_BATCH = 10_000;

/** Progress over all files: bytes read so far, total bytes, events added and known so far. */
export type IngestProgress = (bytesRead: number, totalBytes: number, added: number, known: number) => void;

/** Options for ingesting event files. */
export interface IngestOptions {
  /** Events per transaction (default 10,000). */
  readonly batchSize?: number;
  readonly onProgress?: IngestProgress;
  /** How to name a file in problems (default: as given). */
  readonly displayName?: (path: string) => string;
  /** Check every line first and write nothing if any is a problem. */
  readonly strict?: boolean;
}

/** What an ingest did: events read, new to the ledger, already known, and the bad lines. */
export interface IngestResult {
  readonly events: number;
  readonly added: number;
  readonly known: number;
  readonly problems: readonly Problem[];
}

async function eachEvent(files: readonly string[], options: IngestOptions, onEvent: (e: StoredEvent) => void | Promise<void>, problems: Problem[], progress?: (read: number, total: number) => void): Promise<number> {
  const sizes = await Promise.all(files.map(async (f) => (await stat(f).catch(() => ({ size: 0 }))).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  let done = 0;
  let events = 0;
  for (const [k, file] of files.entries()) {
    const name = options.displayName?.(file) ?? file;
    await readEvents(
      file,
      (event, line, why) => {
        if (why !== undefined) {
          problems.push({ file: name, line, why });
          return;
        }
        events++;
        return onEvent(event!);
      },
      progress ? (read) => progress(done + read, total) : undefined,
      name,
    );
    done += sizes[k]!;
  }
  return events;
}

/**
 * Ingests JSON Lines event files (plain or gzip) into the ledger, streaming, in transactions of
 * `batchSize` events: killed at any moment, the ledger holds whole batches, and running the
 * same ingest again adds exactly what is missing. Bad lines are problems (file, line, why),
 * never half-applied; unreadable files throw FileError.
 */
export async function ingestFiles(ledger: Ledger, files: readonly string[], options: IngestOptions = {}): Promise<IngestResult> {
  const size = options.batchSize ?? INGEST_BATCH;
  if (options.strict) {
    const problems: Problem[] = [];
    const events = await eachEvent(files, options, () => undefined, problems);
    if (problems.length > 0) return { events, added: 0, known: 0, problems };
  }
  const problems: Problem[] = [];
  let batch: StoredEvent[] = [];
  let added = 0;
  let known = 0;
  let read = 0;
  let total = 0;
  // One batch is written while the next is read: a flush starts its batch's append (which
  // builds the rows at once; the ledger writes appends one after another), then waits for the
  // batch before it. Counts and progress come from committed batches only.
  let writing: Promise<void> | undefined;
  let failed = false;
  const flush = async (): Promise<void> => {
    const appended = ledger.append(batch).then((r) => {
      added += r.added;
      known += r.known;
      if (!failed) options.onProgress?.(read, total, added, known);
    });
    batch = [];
    // Its error is raised where it is awaited; from the moment it fails, no later batch's commit
    // is reported as progress (the ingest is failing, whatever the reader is still doing).
    appended.catch(() => {
      failed = true;
    });
    const before = writing;
    writing = appended;
    await before;
  };
  let events: number;
  try {
    events = await eachEvent(
      files,
      options,
      (e) => {
        batch.push(e);
        return batch.length >= size ? flush() : undefined;
      },
      problems,
      (r, t) => {
        read = r;
        total = t;
      },
    );
    if (batch.length > 0) await flush();
    await writing;
  } catch (e) {
    // Nothing of this ingest goes on after it returns: the append still in flight settles first.
    failed = true;
    await writing?.catch(() => undefined);
    throw e;
  }
  return { events, added, known, problems };
}
