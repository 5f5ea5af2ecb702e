import { parseTimestamp, type EventType, type FailcostEvent, type StoredEvent } from "../core/index.js";
import { murmur3x86x128 } from "./murmur3.js";

const ATTEMPT = ["attempt", "job", "model", "provider", "request_id", "ts", "type"];

/**
 * The fields the ledger keeps, by event type (spec §2 and the `webhook` extension). Anything
 * else on a line (a prompt, a key, a caller's debug field) is dropped: ledgers keep no secrets.
 */
const STORED_FIELDS: Readonly<Record<EventType, readonly string[]>> = {
  submitted: [...ATTEMPT, "idempotency_key", "input_hash", "kind", "units", "webhook"].sort(),
  rejected: [...ATTEMPT, "error", "http_status"].sort(),
  created: [...ATTEMPT].sort(),
  polled: [...ATTEMPT, "http_status"].sort(),
  completed: [...ATTEMPT, "error", "outcome", "run_seconds", "units"].sort(),
  client_timeout: [...ATTEMPT, "waited_seconds"].sort(),
  cancel_requested: [...ATTEMPT].sort(),
  webhook_delivered: [...ATTEMPT, "requeued"].sort(),
  webhook_failed: [...ATTEMPT, "requeued"].sort(),
  output_rejected: [...ATTEMPT, "error"].sort(),
  charged: ["amount", "attempt", "currency", "job", "model", "provider", "request_id", "ts", "type"],
};

/** One event as the adapters store it: its identity, the columns they index, and its body. */
export interface EventRow {
  /** Event time, µs since the epoch: the first half of the identity. */
  readonly micros: number;
  /** A 53-bit hash of the canonical event: the second half of the identity. */
  readonly hash: number;
  /** The job it belongs to (a `charged` event only when it names one). */
  readonly job: string | null;
  /** The request id of a `charged` event (null for every other type). */
  readonly chargeRid: string | null;
  /** Canonical JSON: the stored fields only, keys sorted, nulls dropped, `ts` as written. */
  readonly body: string;
}

/** The object with its keys sorted and null values dropped (units: usually one key). */
function sortedObject(value: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const keys = Object.keys(value);
  let sorted = true;
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) sorted = false;
  for (const k of keys) if (value[k] === null || value[k] === undefined) sorted = false;
  if (sorted) return value;
  const out: Record<string, unknown> = {};
  for (const k of keys.sort()) if (value[k] !== null && value[k] !== undefined) out[k] = value[k];
  return out;
}

let scratch = Buffer.alloc(4096);

function hash53(text: string): number {
  if (text.length * 3 > scratch.length) scratch = Buffer.alloc(text.length * 3);
  const n = scratch.write(text, 0, "utf8");
  const [h1, h2] = murmur3x86x128(scratch, n);
  return h1 * 2 ** 21 + (h2 >>> 11);
}

/**
 * The instant as identity text: µs since the epoch, and nanoseconds only where the time was
 * written with more than six fraction digits and they are not zero (parsed only then: rare).
 */
function instantText(ts: string, micros: number): string {
  const c = ts.charCodeAt(19);
  if (c !== 46 && c !== 44) return String(micros); // no fraction: '.' or ','
  let i = 20;
  while (i < ts.length && ts.charCodeAt(i) >= 48 && ts.charCodeAt(i) <= 57) i++;
  if (i - 20 <= 6) return String(micros);
  const at = parseTimestamp(ts);
  return typeof at === "string" || at.nanos === 0 ? String(micros) : `${micros}.${String(at.nanos).padStart(3, "0")}`;
}

/**
 * The stored form of an event and its stable identity: (time in µs, hash of the canonical event
 * with `ts` replaced by its parsed time, nanoseconds included), so the same event written twice,
 * or with another spelling of the same instant, is one event.
 */
export function eventRow(stored: StoredEvent): EventRow {
  const e = stored.event as unknown as Readonly<Record<string, unknown>>;
  // One JSON.stringify of a fresh object with the kept keys in sorted order: the canonical body.
  const kept: Record<string, unknown> = {};
  for (const k of STORED_FIELDS[stored.event.type]) {
    const v = e[k];
    if (v === null || v === undefined) continue;
    kept[k] = typeof v === "object" ? sortedObject(v as Record<string, unknown>) : v;
  }
  const body = JSON.stringify(kept);
  // The identity is the body with `ts` as its instant. `"ts":` occurs once, as the key: inside a
  // JSON string a quote is escaped. A checked `ts` holds no character JSON escapes.
  const ts = stored.event.ts;
  const at = body.indexOf('"ts":"') + 6;
  return {
    micros: stored.micros,
    hash: hash53(`${body.slice(0, at)}${instantText(ts, stored.micros)}${body.slice(at + ts.length)}`),
    job: stored.event.job ?? null,
    chargeRid: stored.event.type === "charged" ? stored.event.request_id : null,
    body,
  };
}

/** The event back from its stored body. */
export function eventOfBody(body: string): FailcostEvent {
  return JSON.parse(body) as FailcostEvent;
}
