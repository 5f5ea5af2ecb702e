import type { FailcostEvent } from "./event.js";

/** Which events a scan of the ledger returns. Times are µs since the epoch. */
export interface LedgerQuery {
  /**
   * Jobs with any attempt starting at or after this time. A scan returns every event of each
   * matching job (including ones outside the range), so the audit can judge the whole job.
   */
  readonly sinceMicros?: number;
  /** Jobs with any attempt starting before this time. */
  readonly untilMicros?: number;
  readonly provider?: string;
  readonly model?: string;
  /**
   * The audit's duplicate window (µs). A filtered scan also returns the jobs holding attempts
   * that an attempt of a matching job could duplicate (same input hash, submitted at most this
   * long before), so duplicates are judged as an audit of every event would judge them.
   */
  readonly duplicateWindowMicros?: number;
}

/** What an append did: events new to the ledger, and events it already had. */
export interface AppendResult {
  readonly added: number;
  readonly known: number;
}

/** The ledger's size and span. */
export interface LedgerStats {
  readonly events: number;
  readonly jobs: number;
  readonly attempts: number;
  /** First and last event time (µs), when there are events. */
  readonly firstMicros?: number;
  readonly lastMicros?: number;
  /** Bytes on disk (or in the database), where the adapter can tell. */
  readonly bytes?: number;
}

/** What a prune removed. */
export interface PruneResult {
  readonly events: number;
  readonly jobs: number;
}

/** An event and its parsed time, as stored. */
export interface StoredEvent {
  readonly event: FailcostEvent;
  readonly micros: number;
}

/**
 * Where failcost keeps the truth over months: an append-only set of events with a stable
 * identity each, so appending the same event twice adds it once. Adapters: SQLite (the
 * embedded default) and PostgreSQL; both pass one contract test suite.
 */
export interface Ledger {
  /** Appends events atomically (all or none); events already present are counted, not added. */
  append(events: readonly StoredEvent[]): Promise<AppendResult>;
  /** Visits the events of every job the query matches, in no particular order. */
  scan(query: LedgerQuery, visit: (e: StoredEvent) => void): Promise<void>;
  /** Every event of one job, in time order (for timelines). */
  jobEvents(job: string): Promise<StoredEvent[]>;
  stats(): Promise<LedgerStats>;
  /** Removes events of jobs whose every event is before `beforeMicros` (jobs straddling it stay whole). */
  prune(beforeMicros: number): Promise<PruneResult>;
  /**
   * A number that grows whenever events are added or removed, so a reader (the dashboard) can
   * tell the ledger changed without scanning it.
   */
  changeCount(): Promise<number>;
  /** A named snapshot (a computed report, rollups) stored beside the events; undefined if none. */
  readSnapshot(name: string): Promise<string | undefined>;
  /** Stores a named snapshot, replacing the previous one. */
  writeSnapshot(name: string, value: string): Promise<void>;
  close(): Promise<void>;
}
