// Byte-level pieces of reading JSON text straight from a buffer: strings made from bytes (and
// cached so equal bytes give one string), JSON numbers, whitespace. The line scanner is built on them.

type Latin1 = { latin1Slice(start: number, end: number): string };

/** The bytes `buf[start, end)` as a string, one character a byte. */
export function latin1(buf: Uint8Array, start: number, end: number): string {
  // Buffer's own latin1Slice: what toString("latin1") calls, without its argument checks.
  return (buf as unknown as Latin1).latin1Slice(start, end);
}

/** A 30-bit FNV-1a hash of the bytes (small enough to stay an unboxed integer). */
function fnv(buf: Uint8Array, start: number, end: number): number {
  let h = 2166136261;
  for (let k = start; k < end; k++) h = Math.imul(h ^ buf[k]!, 16777619);
  return (h ^ (h >>> 15)) & 0x3fffffff;
}

/** True when the bytes `buf[start, end)` are the characters of `text`. */
export function sameBytes(buf: Uint8Array, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let k = 0; k < text.length; k++) if (buf[start + k] !== text.charCodeAt(k)) return false;
  return true;
}

const SLOTS = 1 << 14;

/** The engine's one copy of a string: property names are internalized, so a key read back is. */
function internalized(s: string): string {
  return Object.keys({ [s]: 0 })[0] ?? s;
}

/**
 * Strings made from ASCII bytes, kept in a direct-mapped cache by hash so equal bytes give one
 * string instead of a new one each time. `keep` values (types, providers, models, unit sets) are
 * shared for the whole read: a slot once filled stays; the others (job names, request ids) are
 * replaced by the latest, as they repeat only on nearby lines.
 */
export class StringCache {
  private readonly slots: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);

  get(buf: Uint8Array, start: number, end: number, keep: boolean): string {
    const k = fnv(buf, start, end) & (SLOTS - 1);
    const s = this.slots[k];
    if (s !== undefined && sameBytes(buf, start, end, s)) return s;
    // A kept value (an event type, a provider) is made the engine's one copy of that text, so
    // comparing it with a literal (`type === "polled"`) is a pointer compare.
    const fresh = keep ? internalized(latin1(buf, start, end)) : latin1(buf, start, end);
    if (s === undefined || !keep) this.slots[k] = fresh;
    return fresh;
  }
}

/** True for JSON whitespace: space, tab, line feed, carriage return. */
export function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Scans JSON number text at `i`; returns its end, or -1 if it is not a JSON number. */
export function numberEnd(buf: Uint8Array, i: number, end: number): number {
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
export function numberValue(buf: Uint8Array, start: number, end: number): number {
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

/** The first index at or after `i` that is not JSON whitespace (or `end`). */
export function skipWs(buf: Uint8Array, i: number, end: number): number {
  while (i < end && isWs(buf[i]!)) i++;
  return i;
}
