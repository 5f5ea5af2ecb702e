import type { StoredEvent } from "../core/index.js";
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

/** A batch ready to write: rows unique and sorted by identity, attempts sorted by (job, attempt). */
export interface LedgerBatch {
  readonly rows: EventRow[];
  /** Merged with min/max, so writing them again with rows already known changes nothing. */
  readonly attempts: AttemptRow[];
}

const minText = (a: string | null, b: string | null | undefined): string | null => (b === undefined || b === null ? a : a === null || b < a ? b : a);

function foldAttempt(map: Map<string, AttemptRow>, s: StoredEvent): void {
  const e = s.event;
  if (e.type === "charged") return;
  const key = `${e.job}\u0000${e.attempt}`;
  const sub = e.type === "submitted" ? s.micros : null;
  const hash = e.type === "submitted" ? (e.input_hash ?? null) : null;
  const a = map.get(key);
  if (a === undefined) {
    map.set(key, { job: e.job, attempt: e.attempt, provider: e.provider, model: e.model, start: s.micros, last: s.micros, sub, inputHash: hash, requestId: e.request_id ?? null });
    return;
  }
  if (e.provider < a.provider) a.provider = e.provider;
  if (e.model < a.model) a.model = e.model;
  if (s.micros < a.start) a.start = s.micros;
  if (s.micros > a.last) a.last = s.micros;
  if (sub !== null && (a.sub === null || sub < a.sub)) a.sub = sub;
  a.inputHash = minText(a.inputHash, hash);
  a.requestId = minText(a.requestId, e.request_id);
}

const byAttempt = (x: AttemptRow, y: AttemptRow): number => (x.job < y.job ? -1 : x.job > y.job ? 1 : x.attempt - y.attempt);

/** Turns events into rows and attempt summaries, dropping repeats within the batch. */
export function prepareBatch(events: readonly StoredEvent[]): LedgerBatch {
  const tagged = events.map((s) => ({ row: eventRow(s), s }));
  // Identity order: index inserts stay local, concurrent writers lock rows in one order, and
  // repeats within the batch end up side by side.
  tagged.sort((a, b) => a.row.micros - b.row.micros || a.row.hash - b.row.hash);
  const rows: EventRow[] = [];
  const attempts = new Map<string, AttemptRow>();
  let last: EventRow | undefined;
  for (const { row, s } of tagged) {
    if (last !== undefined && last.micros === row.micros && last.hash === row.hash) continue;
    last = row;
    rows.push(row);
    foldAttempt(attempts, s);
  }
  return { rows, attempts: [...attempts.values()].sort(byAttempt) };
}
