import { parseTimestamp, type EventType, type FailcostEvent, type StoredEvent } from "../core/index.js";
import { integerText } from "./integer-text.js";
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

/** Whether every string written since the last reset was plain printable ASCII. */
let plain = true;

/** A string as JSON text, exactly as `JSON.stringify` writes it (plain ASCII: no call). */
function jsonString(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Control characters, quote, backslash, non-ASCII: JSON.stringify's own escaping.
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
      plain = false;
      return JSON.stringify(s);
    }
  }
  return `"${s}"`;
}

/**
 * A kept value as JSON text, exactly as `JSON.stringify` writes it, objects with their keys
 * sorted and nulls dropped; built by hand for the common shapes (flat objects: `units`).
 */
function jsonValue(v: unknown): string {
  switch (typeof v) {
    case "string":
      return jsonString(v);
    case "number":
      return Number.isFinite(v) ? String(v) : "null";
    case "boolean":
      return v ? "true" : "false";
    default:
      return jsonObject(v as Readonly<Record<string, unknown>>);
  }
}

function jsonObject(o: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(o);
  let flat = !Array.isArray(o);
  for (let i = 0; i < keys.length && flat; i++) {
    const v = o[keys[i]!];
    // A key like "7" is enumerated before the others, whatever the sort: JSON.stringify knows.
    const c = keys[i]!.charCodeAt(0);
    if ((typeof v === "object" && v !== null) || (c >= 48 && c <= 57)) flat = false;
  }
  if (!flat) {
    plain = false;
    return JSON.stringify(sortedObject(o));
  }
  if (keys.length > 1) keys.sort();
  let out = "";
  for (const k of keys) {
    const v = o[k];
    if (v === null || v === undefined) continue;
    out += `${out === "" ? "{" : ","}${jsonString(k)}:${jsonValue(v)}`;
  }
  return out === "" ? "{}" : `${out}}`;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(4096);

/**
 * The 53-bit hash of the identity text: the body's UTF-8 bytes with the `ts` value (at byte
 * `at`, ASCII) replaced by the instant, through MurmurHash3 x86_128. Encoding the body itself
 * (rather than a second string) also leaves the stored string flat, ready for the driver.
 */
function hash53(body: string, at: number, ts: string, instant: string): number {
  if (body.length * 3 + instant.length > scratch.length) scratch = new Uint8Array(body.length * 3 + instant.length);
  const n = encoder.encodeInto(body, scratch).written;
  scratch.copyWithin(at + instant.length, at + ts.length, n);
  for (let i = 0; i < instant.length; i++) scratch[at + i] = instant.charCodeAt(i);
  const [h1, h2] = murmur3x86x128(scratch, n - ts.length + instant.length);
  return h1 * 2 ** 21 + (h2 >>> 11);
}

/**
 * The instant as identity text: µs since the epoch, and nanoseconds only where the time was
 * written with more than six fraction digits and they are not zero (parsed only then: rare).
 */
function instantText(ts: string, micros: number): string {
  const c = ts.charCodeAt(19);
  if (c !== 46 && c !== 44) return integerText(micros); // no fraction: '.' or ','
  let i = 20;
  while (i < ts.length && ts.charCodeAt(i) >= 48 && ts.charCodeAt(i) <= 57) i++;
  if (i - 20 <= 6) return integerText(micros);
  const at = parseTimestamp(ts);
  return typeof at === "string" || at.nanos === 0 ? integerText(micros) : `${micros}.${String(at.nanos).padStart(3, "0")}`;
}

/** Per type, each kept field's key as JSON text (`"key":`), in sorted order. */
const KEY_TEXT: Readonly<Record<string, readonly string[]>> = Object.fromEntries(Object.entries(STORED_FIELDS).map(([type, fields]) => [type, fields.map((k) => `"${k}":`)]));

/**
 * The stored form of an event and its stable identity: (time in µs, hash of the canonical event
 * with `ts` replaced by its parsed time, nanoseconds included), so the same event written twice,
 * or with another spelling of the same instant, is one event.
 *
 * The canonical body is what `JSON.stringify` gives for the kept fields in sorted order, nulls
 * dropped; it is built as text around `ts`, so the identity text (the same with the instant in
 * place of `ts`) needs no search or copy. Tests pin both against that definition.
 */
export function eventRow(stored: StoredEvent): EventRow {
  const e = stored.event as unknown as Readonly<Record<string, unknown>>;
  const fields = STORED_FIELDS[stored.event.type];
  const keys = KEY_TEXT[stored.event.type]!;
  let head = "";
  let out = "";
  plain = true;
  for (let i = 0; i < fields.length; i++) {
    const k = fields[i]!;
    const v = e[k];
    if (v === null || v === undefined) continue;
    const sep = head === "" && out === "" ? "{" : ",";
    if (k === "ts") {
      // A checked `ts` is ASCII and holds no character JSON escapes.
      head = `${out}${sep}"ts":"`;
      out = '"';
    } else {
      out += `${sep}${keys[i]!}${jsonValue(v)}`;
    }
  }
  const ts = stored.event.ts;
  const body = `${head}${ts}${out}}`;
  // The byte offset of `ts` in the body: the head's length when it is ASCII.
  const at = plain ? head.length : encoder.encode(head).length;
  return {
    micros: stored.micros,
    hash: hash53(body, at, ts, instantText(ts, stored.micros)),
    job: stored.event.job ?? null,
    chargeRid: stored.event.type === "charged" ? stored.event.request_id : null,
    body,
  };
}

/** The event back from its stored body. */
export function eventOfBody(body: string): FailcostEvent {
  return JSON.parse(body) as FailcostEvent;
}
