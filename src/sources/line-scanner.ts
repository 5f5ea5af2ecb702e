import { timestampMicros } from "../core/index.js";
import { isWs, latin1, numberEnd, numberValue, sameBytes, skipWs, StringCache } from "./json-bytes.js";

/**
 * A fast path for the common shape of an event line: one flat JSON object of strings without
 * escapes, numbers, booleans and nulls (plus a flat `units` object of numbers), read straight
 * from the bytes into a reused record, without building a JSON tree. Anything else (escapes,
 * arrays, other nesting, repeated keys, a `ts` it cannot read) returns false, and the caller falls
 * back to `JSON.parse`, so the result is always what `JSON.parse` would give for the fields
 * failcost reads.
 */

/** The fields failcost reads from an event line; a scanned line fills them, the rest stay undefined. */
export interface EventRecord {
  ts: unknown;
  type: unknown;
  provider: unknown;
  model: unknown;
  job: unknown;
  attempt: unknown;
  request_id: unknown;
  input_hash: unknown;
  idempotency_key: unknown;
  kind: unknown;
  units: unknown;
  webhook: unknown;
  http_status: unknown;
  error: unknown;
  outcome: unknown;
  run_seconds: unknown;
  waited_seconds: unknown;
  requeued: unknown;
  amount: unknown;
  currency: unknown;
  /** `ts` read as microseconds since the epoch (the scanner reads it from the bytes; `ts` stays unset unless asked for). */
  at: number;
}

/** A first value of the record's fields: a small integer, then cleared, makes each field hold any value. */
const WIDEN = 0;

const FIELDS = ["ts", "type", "provider", "model", "job", "attempt", "request_id", "input_hash", "idempotency_key", "kind", "units", "webhook", "http_status", "error", "outcome", "run_seconds", "waited_seconds", "requeued", "amount", "currency"] as const;

/** A record with every field undefined, to be reused line after line. */
export function createEventRecord(): EventRecord {
  return new ScannedRecord();
}

/**
 * The record's fields hold values of every kind (strings, numbers, objects, undefined) from the
 * start, so storing any of them never changes the object's shape or a field's representation.
 */
class ScannedRecord implements EventRecord {
  ts: unknown = WIDEN;
  type: unknown = WIDEN;
  provider: unknown = WIDEN;
  model: unknown = WIDEN;
  job: unknown = WIDEN;
  attempt: unknown = WIDEN;
  request_id: unknown = WIDEN;
  input_hash: unknown = WIDEN;
  idempotency_key: unknown = WIDEN;
  kind: unknown = WIDEN;
  units: unknown = WIDEN;
  webhook: unknown = WIDEN;
  http_status: unknown = WIDEN;
  error: unknown = WIDEN;
  outcome: unknown = WIDEN;
  run_seconds: unknown = WIDEN;
  waited_seconds: unknown = WIDEN;
  requeued: unknown = WIDEN;
  amount: unknown = WIDEN;
  currency: unknown = WIDEN;
  at = Number.NaN;
  constructor() {
    clear(this);
  }
}

function clear(r: EventRecord): void {
  r.ts = r.type = r.provider = r.model = r.job = r.attempt = r.request_id = r.input_hash = undefined;
  r.idempotency_key = r.kind = r.units = r.webhook = r.http_status = r.error = r.outcome = undefined;
  r.run_seconds = r.waited_seconds = r.requeued = r.amount = r.currency = undefined;
  r.at = Number.NaN;
}

/** Sets field `index` with a named store (a keyed store by name is many times slower here). */
function setField(r: EventRecord, index: number, v: unknown): void {
  switch (index) {
    case 1: r.type = v; break;
    case 2: r.provider = v; break;
    case 3: r.model = v; break;
    case 4: r.job = v; break;
    case 5: r.attempt = v; break;
    case 6: r.request_id = v; break;
    case 7: r.input_hash = v; break;
    case 8: r.idempotency_key = v; break;
    case 9: r.kind = v; break;
    case 10: r.units = v; break;
    case 11: r.webhook = v; break;
    case 12: r.http_status = v; break;
    case 13: r.error = v; break;
    case 14: r.outcome = v; break;
    case 15: r.run_seconds = v; break;
    case 16: r.waited_seconds = v; break;
    case 17: r.requeued = v; break;
    case 18: r.amount = v; break;
    case 19: r.currency = v; break;
    default: r.ts = v;
  }
}

// Each field's name is found by its first two bytes: one or two candidates, compared byte by byte.
const CANDIDATES: (readonly number[] | undefined)[] = new Array<readonly number[] | undefined>(128 * 128).fill(undefined);
for (const [i, f] of FIELDS.entries()) {
  const k = f.charCodeAt(0) * 128 + f.charCodeAt(1);
  CANDIDATES[k] = [...(CANDIDATES[k] ?? []), i];
}
const NAME_BYTES = FIELDS.map((f) => Uint8Array.from(f, (c) => c.charCodeAt(0)));

/** Bytes that end or interrupt a plain string: `"`, `\\`, control characters and non-ASCII. */
const STOP = new Uint8Array(256);
for (let b = 0; b < 32; b++) STOP[b] = 1;
STOP[34] = 1;
STOP[92] = 1;
for (let b = 128; b < 256; b++) STOP[b] = 1;

const TS = 0;
const UNITS = 10;
/** How a field's string values are made: fresh, shared forever, or reused from the last lines. */
const PLAIN = 0;
const SHARED_VALUE = 1;
const RECENT_VALUE = 2;
const SHARED = new Set<string>(["type", "provider", "model", "outcome", "error", "kind", "currency"]);
const RECENT = new Set<string>(["job", "request_id", "input_hash", "idempotency_key"]);
const FIELD_KIND = FIELDS.map((f) => (SHARED.has(f) ? SHARED_VALUE : RECENT.has(f) ? RECENT_VALUE : PLAIN));

// ignoreBOM: a value that starts with U+FEFF keeps it, as JSON.parse keeps it.
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** The field whose name (then a closing quote) starts at `ks`, or -1 if none does. */
function knownField(buf: Uint8Array, ks: number, end: number): number {
  const b0 = buf[ks]!;
  const b1 = buf[ks + 1]!;
  if (b0 >= 128 || b1 >= 128) return -1;
  const list = CANDIDATES[b0 * 128 + b1];
  if (list === undefined) return -1;
  outer: for (const slot of list) {
    const name = NAME_BYTES[slot]!;
    const n = name.length;
    if (ks + n >= end || buf[ks + n] !== 34) continue;
    for (let k = 2; k < n; k++) if (buf[ks + k] !== name[k]) continue outer;
    return slot;
  }
  return -1;
}

/** Reads the bytes of one event line into records, fast. */
export class LineScanner {
  /** @param keepTs also set `ts` to its text (the ledger stores it as written); the audit needs only `at`. */
  constructor(private readonly keepTs = false) {}

  private readonly shared = new StringCache();
  private readonly recent = new StringCache();
  /** Each field's last ASCII string value, from the latest line that gave one: most lines repeat the provider, model and job. */
  private readonly previous: (string | undefined)[] = new Array<string | undefined>(FIELDS.length).fill(undefined);
  /** The record scanned last, and a bit per field the scan set in it. */
  private last: EventRecord | undefined = undefined;
  private set = 0;
  /** A bit per field set by the line being scanned. */
  private now = 0;
  /** Unit sets by their text, so equal units on many lines are one object. */
  private readonly unitSets = new Map<string, Record<string, number>>();

  /**
   * Fills `r` from the JSON object in `buf[start, end)`. Returns false when the line is not of
   * the simple shape (the caller then uses JSON.parse); `r` is then unspecified.
   */
  scan(buf: Uint8Array, start: number, end: number, r: EventRecord): boolean {
    if (r !== this.last) {
      clear(r);
      this.last = r;
      this.set = 0;
    }
    this.now = 0;
    r.at = Number.NaN;
    const ok = this.fill(buf, start, end, r);
    // Clear only what the line before set and this one did not (most lines set the same 8 of the
    // 20 fields); a declined line leaves `r` unspecified, with every field it may have set noted.
    if (ok) {
      for (let m = this.set & ~this.now; m !== 0; m &= m - 1) setField(r, 31 - Math.clz32(m & -m), undefined);
      this.set = this.now;
    } else this.set |= this.now;
    return ok;
  }

  private fill(buf: Uint8Array, start: number, end: number, r: EventRecord): boolean {
    let i = start;
    while (i < end && isWs(buf[i]!)) i++;
    if (buf[i] !== 123) return false; // {
    i++;
    let seen = 0;
    let given = 0; // a bit per field already given, to send repeated keys to JSON.parse
    for (;;) {
      while (i < end && isWs(buf[i]!)) i++;
      if (buf[i] === 125 && seen === 0) {
        i++;
        break;
      }
      if (buf[i] !== 34) return false; // a key
      const ks = ++i;
      let slot = knownField(buf, ks, end);
      if (slot >= 0) i += NAME_BYTES[slot]!.length;
      else
        for (;;) {
          if (i >= end) return false;
          const c = buf[i]!;
          if (c === 34) break;
          if (c === 92 || c < 32) return false;
          i++;
        }
      i++;
      while (i < end && isWs(buf[i]!)) i++;
      if (buf[i] !== 58) return false; // :
      i++;
      while (i < end && isWs(buf[i]!)) i++;
      if (slot >= 0) {
        if ((given & (1 << slot)) !== 0) return false; // a repeated key: JSON.parse decides
        given |= 1 << slot;
      }
      const c = buf[i];
      let value: unknown;
      if (c === 34) {
        const vs = ++i;
        let ascii = true;
        for (;;) {
          while (i < end && STOP[buf[i]!] === 0) i++;
          if (i >= end) return false;
          const b = buf[i]!;
          if (b === 34) break;
          if (b < 128) return false; // an escape or a control character: JSON.parse decides
          ascii = false;
          i++;
        }
        const ve = i++;
        if (slot === TS) {
          const at = ascii ? timestampMicros(buf, vs, ve) : Number.NaN;
          if (!Number.isFinite(at)) return false; // JSON.parse and readEvent say why
          r.at = at;
          if (!this.keepTs) slot = -1;
        }
        if (slot < 0) value = undefined;
        else if (!ascii) value = decoder.decode(buf.subarray(vs, ve));
        else if (FIELD_KIND[slot] === PLAIN) value = latin1(buf, vs, ve);
        else {
          const prev = this.previous[slot];
          if (prev !== undefined && sameBytes(buf, vs, ve, prev)) value = prev;
          else {
            const fresh = FIELD_KIND[slot] === SHARED_VALUE ? this.shared.get(buf, vs, ve, true) : this.recent.get(buf, vs, ve, false);
            this.previous[slot] = fresh;
            value = fresh;
          }
        }
      } else if (c === 123) {
        if (slot !== UNITS) return false;
        const us = i;
        i = this.unitsEnd(buf, i + 1, end);
        if (i < 0) return false;
        value = this.unitsOf(buf, us, i);
        if (value === undefined) return false;
      } else if (c === 116) {
        if (buf[i + 1] !== 114 || buf[i + 2] !== 117 || buf[i + 3] !== 101) return false;
        i += 4;
        value = true;
      } else if (c === 102) {
        if (buf[i + 1] !== 97 || buf[i + 2] !== 108 || buf[i + 3] !== 115 || buf[i + 4] !== 101) return false;
        i += 5;
        value = false;
      } else if (c === 110) {
        if (buf[i + 1] !== 117 || buf[i + 2] !== 108 || buf[i + 3] !== 108) return false;
        i += 4;
        value = null;
      } else {
        const ne = numberEnd(buf, i, end);
        if (ne < 0) return false;
        if (slot >= 0) value = numberValue(buf, i, ne);
        i = ne;
      }
      if (slot >= 0) {
        setField(r, slot, value);
        this.now |= 1 << slot;
      }
      seen++;
      i = skipWs(buf, i, end);
      if (buf[i] === 44) {
        i++;
        continue;
      }
      if (buf[i] === 125) {
        i++;
        break;
      }
      return false;
    }
    return skipWs(buf, i, end) === end;
  }

  /** The end of a flat object of "name": number pairs starting after its `{`, or -1. */
  private unitsEnd(buf: Uint8Array, i: number, end: number): number {
    i = skipWs(buf, i, end);
    if (buf[i] === 125) return i + 1;
    for (;;) {
      if (buf[i] !== 34) return -1;
      i++;
      for (;;) {
        if (i >= end) return -1;
        const b = buf[i]!;
        if (b === 34) break;
        if (b === 92 || b < 32 || b >= 128) return -1;
        i++;
      }
      i = skipWs(buf, i + 1, end);
      if (buf[i] !== 58) return -1;
      i = skipWs(buf, i + 1, end);
      const ne = numberEnd(buf, i, end);
      if (ne < 0) return -1;
      i = skipWs(buf, ne, end);
      if (buf[i] === 44) {
        i = skipWs(buf, i + 1, end);
        continue;
      }
      if (buf[i] === 125) return i + 1;
      return -1;
    }
  }

  /** The units object for the text `buf[start, end)`, shared by equal texts; undefined if JSON.parse must decide. */
  private unitsOf(buf: Uint8Array, start: number, end: number): Record<string, number> | undefined {
    const text = this.shared.get(buf, start, end, true);
    let units = this.unitSets.get(text);
    if (units === undefined) {
      const parsed = JSON.parse(text) as Record<string, number>;
      // A repeated unit name: JSON.parse keeps the last; leave that to the slow path.
      if ((text.match(/"/g)?.length ?? 0) !== Object.keys(parsed).length * 2) return undefined;
      units = Object.freeze(parsed);
      if (this.unitSets.size < 4096) this.unitSets.set(text, units);
    }
    return units;
  }
}
