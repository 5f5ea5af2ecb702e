import type { Ledger, LedgerQuery, StoredEvent } from "../core/index.js";

/** One stored event as read back: its time and canonical body. */
export interface LedgerRow {
  readonly micros: number;
  readonly body: string;
}

/** A page of rows and where the next page starts (undefined: no more). */
export interface Page<T> {
  readonly items: T[];
  readonly next: unknown;
}

/**
 * What each database adapter provides: writes, and reads in bounded pages, so the shared code
 * in create-ledger.ts streams (no page holds more than `limit` rows) and never keeps a cursor
 * open between pages. Adapters differ only in SQL and driver; the rest is the Ledger's own.
 */
export interface LedgerStore extends Pick<Ledger, "stats" | "prune" | "changeCount" | "readSnapshot" | "writeSnapshot" | "close"> {
  /**
   * Writes one batch of events in one transaction (their rows and attempt summaries: see
   * ledger-batch.ts); returns how many were new.
   */
  write(events: readonly StoredEvent[]): Promise<number>;
  /** Every event, in a stable order: the page after `after` (undefined: the first). */
  eventPage(after: unknown, limit: number): Promise<Page<LedgerRow>>;
  /** Distinct jobs with an attempt that passes the query's filters, in pages. */
  jobPage(query: LedgerQuery, after: unknown, limit: number): Promise<Page<string>>;
  /** Every event whose job is one of `jobs` (attempt events, and charges that name the job). */
  eventsOfJobs(jobs: readonly string[]): Promise<LedgerRow[]>;
  /** `charged` events for these request ids, except those naming one of `exceptJobs`. */
  chargesOf(requestIds: readonly string[], exceptJobs: readonly string[]): Promise<LedgerRow[]>;
  /**
   * Jobs outside the query's filters with an attempt that has the same input hash as an attempt
   * of `jobs`, submitted at most `windowMicros` before it: what duplicate detection must see.
   */
  duplicateContext(jobs: readonly string[], windowMicros: number, query: LedgerQuery): Promise<string[]>;
}

/** The bounds of a query, with open ends made explicit, for SQL that takes every filter. */
export function queryBounds(q: LedgerQuery): { since: number; until: number; provider: string | null; model: string | null } {
  return {
    since: q.sinceMicros ?? Number.MIN_SAFE_INTEGER,
    until: q.untilMicros ?? Number.MAX_SAFE_INTEGER,
    provider: q.provider ?? null,
    model: q.model ?? null,
  };
}

/**
 * Both ledgers' indexes with random keys (attempts by input hash, events by job; schema version
 * 4) are ordered first by the time shifted right by this many bits (blocks of about 72 minutes),
 * so appends touch only their last blocks. The `time_blocks` table (kept by a trigger) lists
 * every block that holds an attempt event: a lookup probes those its time span covers.
 * The migrations write the number itself; it never changes.
 */
export const TIME_BLOCK_BITS = 32;
