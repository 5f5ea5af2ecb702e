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

function sortedObject(value: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(value).sort();
  const parts: string[] = [];
  for (const k of keys) if (value[k] !== null && value[k] !== undefined) parts.push(`${JSON.stringify(k)}:${JSON.stringify(value[k])}`);
  return `{${parts.join(",")}}`;
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
  const fields = STORED_FIELDS[stored.event.type];
  // The canonical text around `ts`: the body puts `ts` as written there, the identity its instant.
  let pre = "";
  let post = "";
  let seenTs = false;
  for (const k of fields) {
    if (k === "ts") {
      seenTs = true;
      continue;
    }
    const v = e[k];
    if (v === null || v === undefined) continue;
    const part = `"${k}":${typeof v === "object" ? sortedObject(v as Record<string, unknown>) : JSON.stringify(v)}`;
    if (seenTs) post += `,${part}`;
    else pre += `${part},`;
  }
  const ts = stored.event.ts;
  const charged = stored.event.type === "charged";
  return {
    micros: stored.micros,
    hash: hash53(`${pre}"ts":"${instantText(ts, stored.micros)}"${post}`),
    job: stored.event.job ?? null,
    chargeRid: charged ? stored.event.request_id : null,
    body: `{${pre}"ts":${JSON.stringify(ts)}${post}}`,
  };
}

/** The event back from its stored body. */
export function eventOfBody(body: string): FailcostEvent {
  return JSON.parse(body) as FailcostEvent;
}
