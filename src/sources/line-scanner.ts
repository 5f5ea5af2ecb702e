import { timestampMicros } from "../core/index.js";

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

const FIELDS = ["ts", "type", "provider", "model", "job", "attempt", "request_id", "input_hash", "idempotency_key", "kind", "units", "webhook", "http_status", "error", "outcome", "run_seconds", "waited_seconds", "requeued", "amount", "currency"] as const;

/** A record with every field undefined, to be reused line after line. */
export function createEventRecord(): EventRecord {
  const r = { at: Number.NaN } as EventRecord;
  for (const f of FIELDS) r[f] = undefined;
  return r;
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

// The fields' names differ by (length, first byte): one candidate each, checked byte by byte.
const CANDIDATE = new Int8Array(32 * 128).fill(-1);
for (const [i, f] of FIELDS.entries()) CANDIDATE[f.length * 128 + f.charCodeAt(0)] = i;
const NAME_BYTES = FIELDS.map((f) => Uint8Array.from(f, (c) => c.charCodeAt(0)));

const TS = 0;
const UNITS = 10;
/** How a field's string values are made: fresh, shared forever, or reused from the last lines. */
const PLAIN = 0;
const SHARED_VALUE = 1;
const RECENT_VALUE = 2;
const SHARED = new Set<string>(["type", "provider", "model", "outcome", "error", "kind", "currency"]);
const RECENT = new Set<string>(["job", "request_id", "input_hash", "idempotency_key"]);
const FIELD_KIND = FIELDS.map((f) => (SHARED.has(f) ? SHARED_VALUE : RECENT.has(f) ? RECENT_VALUE : PLAIN));

type Latin1 = { latin1Slice(start: number, end: number): string };

function latin1(buf: Uint8Array, start: number, end: number): string {
  // Buffer's own latin1Slice: what toString("latin1") calls, without its argument checks.
  return (buf as unknown as Latin1).latin1Slice(start, end);
}

const decoder = new TextDecoder("utf-8");

function fnv(buf: Uint8Array, start: number, end: number): number {
  let h = 2166136261;
  for (let k = start; k < end; k++) h = Math.imul(h ^ buf[k]!, 16777619);
  return h >>> 0;
}

function sameBytes(buf: Uint8Array, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let k = 0; k < text.length; k++) if (buf[start + k] !== text.charCodeAt(k)) return false;
  return true;
}

/** Short, repeated values (types, providers, models, unit sets) are shared instead of re-allocated. */
class Interner {
  private readonly buckets = new Map<number, string[]>();

  get(buf: Uint8Array, start: number, end: number): string {
    const hash = fnv(buf, start, end);
    let list = this.buckets.get(hash);
    if (list) {
      for (const s of list) if (sameBytes(buf, start, end, s)) return s;
    } else {
      list = [];
      this.buckets.set(hash, list);
    }
    const s = latin1(buf, start, end);
    if (list.length < 8 && this.buckets.size < 4096) list.push(s);
    return s;
  }
}

/**
 * Values that repeat on nearby lines (a job name, a request id) are kept in a small
 * direct-mapped cache by hash, so each repeat reuses one string instead of allocating another.
 */
class RecentStrings {
  private readonly slots: (string | undefined)[] = new Array<string | undefined>(1 << 14).fill(undefined);

  get(buf: Uint8Array, start: number, end: number): string {
    const k = fnv(buf, start, end) & ((1 << 14) - 1);
    const s = this.slots[k];
    if (s !== undefined && sameBytes(buf, start, end, s)) return s;
    const fresh = latin1(buf, start, end);
    this.slots[k] = fresh;
    return fresh;
  }
}

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Scans JSON number text at `i`; returns its end, or -1 if it is not a JSON number. */
function numberEnd(buf: Uint8Array, i: number, end: number): number {
  let j = i;
  if (buf[j] === 45) j++; // -
  if (j >= end) return -1;
  if (buf[j] === 48) j++;
  else if (buf[j]! >= 49 && buf[j]! <= 57) while (j < end && buf[j]! >= 48 && buf[j]! <= 57) j++;
  else return -1;
  if (buf[j] === 46) {
    j++;
    const d = j;
    while (j < end && buf[j]! >= 48 && buf[j]! <= 57) j++;
    if (j === d) return -1;
  }
  if (buf[j] === 101 || buf[j] === 69) {
    j++;
    if (buf[j] === 43 || buf[j] === 45) j++;
    const d = j;
    while (j < end && buf[j]! >= 48 && buf[j]! <= 57) j++;
    if (j === d) return -1;
  }
  return j;
}

/** A JSON number's value: small whole numbers without making text, the rest through Number. */
function numberValue(buf: Uint8Array, start: number, end: number): number {
  if (end - start <= 9) {
    let v = 0;
    for (let k = start; k < end; k++) {
      const d = buf[k]! - 48;
      if (!(d >= 0 && d <= 9)) return Number(latin1(buf, start, end));
      v = v * 10 + d;
    }
    return v;
  }
  return Number(latin1(buf, start, end));
}

/** Reads the bytes of one event line into records, fast. */
export class LineScanner {
  /** @param keepTs also set `ts` to its text (the ledger stores it as written); the audit needs only `at`. */
  constructor(private readonly keepTs = false) {}

  private readonly interner = new Interner();
  private readonly recent = new RecentStrings();
  /** The record scanned last, and a bit per field the scan set in it. */
  private last: EventRecord | undefined = undefined;
  private set = 0;
  /** Unit sets by their text, so equal units on many lines are one object. */
  private readonly unitSets = new Map<string, Record<string, number>>();

  /**
   * Fills `r` from the JSON object in `buf[start, end)`. Returns false when the line is not of
   * the simple shape (the caller then uses JSON.parse); `r` is then unspecified.
   */
  scan(buf: Uint8Array, start: number, end: number, r: EventRecord): boolean {
    // Clear only what the last line set (most lines set 8 of the 20 fields).
    if (r !== this.last) {
      clear(r);
      this.last = r;
    } else
      for (let m = this.set; m !== 0; m &= m - 1) setField(r, 31 - Math.clz32(m & -m), undefined);
    this.set = 0;
    r.at = Number.NaN;
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
      for (;;) {
        if (i >= end) return false;
        const c = buf[i]!;
        if (c === 34) break;
        if (c === 92 || c < 32) return false;
        i++;
      }
      const ke = i++;
      while (i < end && isWs(buf[i]!)) i++;
      if (buf[i] !== 58) return false; // :
      i++;
      while (i < end && isWs(buf[i]!)) i++;
      const klen = ke - ks;
      let slot = klen < 32 ? CANDIDATE[klen * 128 + (buf[ks]! & 127)]! : -1;
      if (slot >= 0) {
        const name = NAME_BYTES[slot]!;
        for (let k = 1; k < klen; k++) {
          if (buf[ks + k] !== name[k]) {
            slot = -1;
            break;
          }
        }
        if (buf[ks]! >= 128) slot = -1;
      }
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
          if (i >= end) return false;
          const b = buf[i]!;
          if (b === 34) break;
          if (b === 92 || b < 32) return false;
          if (b >= 128) ascii = false;
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
        else if (FIELD_KIND[slot] === SHARED_VALUE) value = this.interner.get(buf, vs, ve);
        else if (FIELD_KIND[slot] === RECENT_VALUE) value = this.recent.get(buf, vs, ve);
        else value = latin1(buf, vs, ve);
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
        this.set |= 1 << slot;
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
    const text = this.interner.get(buf, start, end);
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

function skipWs(buf: Uint8Array, i: number, end: number): number {
  while (i < end && isWs(buf[i]!)) i++;
  return i;
}
