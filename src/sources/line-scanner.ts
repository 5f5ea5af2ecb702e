/**
 * A fast path for the common shape of an event line: one flat JSON object of strings without
 * escapes, numbers, booleans and nulls (plus a flat `units` object), read straight from the
 * bytes into a reused record, without building a JSON tree. Anything else (escapes, arrays,
 * other nesting, repeated keys, syntax it is not sure of) returns false, and the caller falls
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
}

/** A record with every field undefined, to be reused line after line. */
export function createEventRecord(): EventRecord {
  return {
    ts: undefined,
    type: undefined,
    provider: undefined,
    model: undefined,
    job: undefined,
    attempt: undefined,
    request_id: undefined,
    input_hash: undefined,
    idempotency_key: undefined,
    kind: undefined,
    units: undefined,
    webhook: undefined,
    http_status: undefined,
    error: undefined,
    outcome: undefined,
    run_seconds: undefined,
    waited_seconds: undefined,
    requeued: undefined,
    amount: undefined,
    currency: undefined,
  };
}

function clear(r: EventRecord): void {
  r.ts = r.type = r.provider = r.model = r.job = r.attempt = r.request_id = r.input_hash = undefined;
  r.idempotency_key = r.kind = r.units = r.webhook = r.http_status = r.error = r.outcome = undefined;
  r.run_seconds = r.waited_seconds = r.requeued = r.amount = r.currency = undefined;
}

function fnv(text: string): number {
  let h = 2166136261;
  for (let k = 0; k < text.length; k++) h = Math.imul(h ^ text.charCodeAt(k), 16777619);
  return h >>> 0;
}

const FIELDS = Object.keys(createEventRecord()) as (keyof EventRecord)[];

/** An open-addressed table from the FNV-1a hash of a field's name to its index (+1), 0 when empty. */
const FIELD_TABLE = new Int32Array(256);
const FIELD_HASHES = new Int32Array(256);
for (const [index, name] of FIELDS.entries()) {
  const h = fnv(name);
  let k = h & 255;
  while (FIELD_TABLE[k] !== 0) k = (k + 1) & 255;
  FIELD_TABLE[k] = index + 1;
  FIELD_HASHES[k] = h | 0;
}

function fieldIndex(hash: number): number {
  let k = hash & 255;
  for (;;) {
    const v = FIELD_TABLE[k]!;
    if (v === 0) return -1;
    if (FIELD_HASHES[k] === (hash | 0)) return v - 1;
    k = (k + 1) & 255;
  }
}

/** How a field's string values are made: fresh, shared forever, or reused from the last lines. */
const PLAIN = 0;
const SHARED_VALUE = 1;
const RECENT_VALUE = 2;
const SHARED = new Set(["type", "provider", "model", "outcome", "error", "kind", "currency"]);
const RECENT = new Set(["job", "request_id", "input_hash", "idempotency_key"]);
const FIELD_KIND = FIELDS.map((f) => (SHARED.has(f) ? SHARED_VALUE : RECENT.has(f) ? RECENT_VALUE : PLAIN));
const UNITS = FIELDS.indexOf("units");

/** Sets field `index` with a named store (a keyed store by name is many times slower here). */
function setField(r: EventRecord, index: number, v: unknown): void {
  switch (index) {
    case 0: r.ts = v; break;
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
  }
}

function sameBytes(buf: Uint8Array, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let k = 0; k < text.length; k++) if (buf[start + k] !== text.charCodeAt(k)) return false;
  return true;
}

/** Short, repeated values (types, providers, models, outcomes) are shared instead of re-allocated. */
class Interner {
  private readonly buckets = new Map<number, string[]>();

  get(buf: Uint8Array, start: number, end: number, hash: number): string {
    let list = this.buckets.get(hash);
    if (list) {
      for (const s of list) {
        if (s.length !== end - start) continue;
        let same = true;
        for (let k = 0; k < s.length; k++) {
          if (s.charCodeAt(k) !== buf[start + k]) {
            same = false;
            break;
          }
        }
        if (same) return s;
      }
    } else {
      list = [];
      this.buckets.set(hash, list);
    }
    const s = latin1(buf, start, end);
    if (list.length < 8 && this.buckets.size < 4096) list.push(s);
    return s;
  }
}

const decoder = new TextDecoder("utf-8");

type Latin1 = { latin1Slice(start: number, end: number): string };

function latin1(buf: Uint8Array, start: number, end: number): string {
  // Buffer's own latin1Slice: what toString("latin1") calls, without its argument checks.
  return (buf as unknown as Latin1).latin1Slice(start, end);
}

/**
 * Values that repeat on consecutive lines (a job name, a request id) are kept in a small
 * direct-mapped cache by hash, so each repeat reuses one string instead of allocating another.
 */
class RecentStrings {
  private readonly slots: (string | undefined)[] = new Array<string | undefined>(1 << 14).fill(undefined);

  get(buf: Uint8Array, start: number, end: number, hash: number): string {
    const k = hash & ((1 << 14) - 1);
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

/** Reads the bytes of one event line into records, fast. */
export class LineScanner {
  private readonly interner = new Interner();
  private readonly recent = new RecentStrings();

  /**
   * Fills `r` from the JSON object in `buf[start, end)`. Returns false when the line is not of
   * the simple shape (the caller then uses JSON.parse); `r` is then unspecified.
   */
  scan(buf: Uint8Array, start: number, end: number, r: EventRecord): boolean {
    clear(r);
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
      // key
      if (buf[i] !== 34) return false;
      const ks = ++i;
      let kh = 2166136261;
      while (i < end && buf[i] !== 34) {
        const c = buf[i]!;
        if (c === 92 || c < 32) return false;
        kh = Math.imul(kh ^ c, 16777619);
        i++;
      }
      if (i >= end) return false;
      const ke = i++;
      while (i < end && isWs(buf[i]!)) i++;
      if (buf[i] !== 58) return false; // :
      i++;
      while (i < end && isWs(buf[i]!)) i++;
      let slot = fieldIndex(kh);
      if (slot >= 0 && !sameBytes(buf, ks, ke, FIELDS[slot]!)) slot = -1;
      if (slot >= 0) {
        if ((given & (1 << slot)) !== 0) return false; // a repeated key: JSON.parse decides
        given |= 1 << slot;
      }
      const c = buf[i];
      let value: unknown;
      if (c === 34) {
        const vs = ++i;
        let hash = 2166136261;
        let ascii = true;
        while (i < end) {
          const b = buf[i]!;
          if (b === 34) break;
          if (b === 92 || b < 32) return false;
          if (b >= 128) ascii = false;
          hash = Math.imul(hash ^ b, 16777619);
          i++;
        }
        if (i >= end) return false;
        const ve = i++;
        if (slot < 0) value = undefined;
        else if (ascii && FIELD_KIND[slot] === SHARED_VALUE) value = this.interner.get(buf, vs, ve, hash >>> 0);
        else if (ascii && FIELD_KIND[slot] === RECENT_VALUE) value = this.recent.get(buf, vs, ve, hash >>> 0);
        else value = ascii ? latin1(buf, vs, ve) : decoder.decode(buf.subarray(vs, ve));
      } else if (c === 123) {
        if (slot !== UNITS) return false;
        const units: Record<string, unknown> = {};
        i++;
        let first = true;
        for (;;) {
          while (i < end && isWs(buf[i]!)) i++;
          if (buf[i] === 125 && first) {
            i++;
            break;
          }
          if (buf[i] !== 34) return false;
          const us = ++i;
          while (i < end && buf[i] !== 34) {
            const b = buf[i]!;
            if (b === 92 || b < 32 || b >= 128) return false;
            i++;
          }
          if (i >= end) return false;
          const name = latin1(buf, us, i++);
          while (i < end && isWs(buf[i]!)) i++;
          if (buf[i] !== 58) return false;
          i++;
          while (i < end && isWs(buf[i]!)) i++;
          if (Object.prototype.hasOwnProperty.call(units, name) || name === "__proto__") return false;
          const ne = numberEnd(buf, i, end);
          if (ne < 0) return false;
          units[name] = Number(latin1(buf, i, ne));
          i = ne;
          first = false;
          while (i < end && isWs(buf[i]!)) i++;
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
        value = units;
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
        if (slot >= 0) {
          // Small whole numbers (attempt, http_status) without allocating text.
          let v = 0;
          let simple = ne - i <= 9;
          for (let k = i; k < ne && simple; k++) {
            const d = buf[k]! - 48;
            if (d < 0 || d > 9) simple = false;
            else v = v * 10 + d;
          }
          value = simple ? v : Number(latin1(buf, i, ne));
        }
        i = ne;
      }
      if (slot >= 0) setField(r, slot, value);
      seen++;
      while (i < end && isWs(buf[i]!)) i++;
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
    while (i < end && isWs(buf[i]!)) i++;
    return i === end;
  }
}
