import type { AttemptEvent, StoredEvent } from "../core/index.js";
import { eventRow, type EventRow } from "./event-row.js";

/**
 * What the ledger indexes about one attempt, so a scan finds jobs by time, provider and model
 * without reading events: merged with `min`/`max`, so the order events arrive in never matters.
 */
export interface AttemptRow {
  readonly job: string;
  readonly attempt: number;
  /** The smallest provider and model names seen (the audit keeps the same ones). */
  provider: string;
  model: string;
  /** First and last event time (µs). */
  start: number;
  last: number;
  /** First `submitted` time, if any: with `input_hash`, what duplicate detection needs. */
  sub: number | null;
  /** The smallest `input_hash` and `request_id` seen. */
  inputHash: string | null;
  requestId: string | null;
}

/**
 * A batch ready to write. Rows keep the batch's order and may repeat (the stores' inserts skip
 * what is already there, repeats within the batch included); attempts are merged per attempt.
 */
export interface LedgerBatch {
  readonly rows: EventRow[];
  /** Merged with min/max, so writing them again with rows already known changes nothing. */
  readonly attempts: AttemptRow[];
}

const minText = (a: string | null, b: string | null | undefined): string | null => (b === undefined || b === null ? a : a === null || b < a ? b : a);

function merge(a: AttemptRow, s: StoredEvent): void {
  const e = s.event as AttemptEvent;
  if (e.provider < a.provider) a.provider = e.provider;
  if (e.model < a.model) a.model = e.model;
  if (s.micros < a.start) a.start = s.micros;
  if (s.micros > a.last) a.last = s.micros;
  if (e.type === "submitted") {
    if (a.sub === null || s.micros < a.sub) a.sub = s.micros;
    a.inputHash = minText(a.inputHash, e.input_hash);
  }
  a.requestId = minText(a.requestId, e.request_id);
}

/** Turns events into rows and per-attempt summaries (stores sort what they must). */
export function prepareBatch(events: readonly StoredEvent[]): LedgerBatch {
  const rows: EventRow[] = new Array<EventRow>(events.length);
  for (let i = 0; i < events.length; i++) rows[i] = eventRow(events[i]!);
  return { rows, attempts: attemptRows(events) };
}

/** The per-attempt summaries of events, merged per attempt (charges have none). */
export function attemptRows(events: readonly StoredEvent[]): AttemptRow[] {
  const attempts = new Map<string, AttemptRow>();
  let current: AttemptRow | undefined;
  for (let i = 0; i < events.length; i++) {
    const s = events[i]!;
    const e = s.event;
    if (e.type === "charged") continue;
    // An attempt's events mostly come one after another: skip the lookup then.
    if (current === undefined || current.job !== e.job || current.attempt !== e.attempt) {
      const key = `${e.job}\u0000${e.attempt}`;
      current = attempts.get(key);
      if (current === undefined) {
        current = { job: e.job, attempt: e.attempt, provider: e.provider, model: e.model, start: s.micros, last: s.micros, sub: null, inputHash: null, requestId: null };
        attempts.set(key, current);
      }
    }
    merge(current, s);
  }
  return [...attempts.values()];
}
