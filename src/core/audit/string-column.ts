/**
 * Strings kept by row as bytes in one growing buffer instead of as separate strings: a request
 * id of 26 characters costs 31 bytes instead of about 56, a lowercase hex input hash half its
 * length. Strings outside Latin-1, or longer than 127 characters, sit in a map beside it.
 */

import { growable, growTo } from "./growable.js";

const HEX = 0x80;

/** A lowercase hex digit's value, or -1. */
function hexDigit(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
}

const HEX_DIGITS = "0123456789abcdef";

/** The parts of a string column another thread can take over (typed arrays transferable). */
export interface StringColumnState {
  readonly bytes: Uint8Array;
  readonly used: number;
  readonly offset: Int32Array;
  readonly length: Uint8Array;
  readonly wide: ReadonlyMap<number, string>;
}

/** Strings by row index, compact; `undefined` where a row has none. */
export class StringColumn {
  private bytes: Uint8Array<ArrayBufferLike> = growable(Uint8Array);
  private used = 0;
  private offset: Int32Array<ArrayBufferLike> = growable(Int32Array);
  private length: Uint8Array<ArrayBufferLike> = growable(Uint8Array);
  private readonly wide = new Map<number, string>();
  private readonly hex: boolean;

  /** `hex`: pack lowercase hex strings two characters a byte (input hashes). */
  constructor(hex = false) {
    this.hex = hex;
  }

  /** Makes room for rows below `rows` (growing by at least a quarter, so appends stay linear). */
  reserve(rows: number): void {
    if (rows <= this.offset.length) return;
    rows = Math.max(rows, Math.ceil(this.offset.length * 1.25));
    this.offset = growTo(this.offset, rows, -1);
    this.length = growTo(this.length, rows);
  }

  private room(n: number): void {
    if (this.used + n <= this.bytes.length) return;
    this.bytes = growTo(this.bytes, Math.max(this.used + n, 1 << 16, Math.ceil(this.bytes.length * 1.25)));
  }

  /** Stores `s` for row `i` (replacing what it had). */
  set(i: number, s: string): void {
    if (this.offset[i] === -2) this.wide.delete(i);
    // Written and checked in one pass; `used` moves on only once the string proved to fit.
    if (this.hex && s.length > 0 && s.length % 2 === 0 && s.length <= 254 && this.packHex(s)) {
      const n = s.length / 2;
      this.offset[i] = this.used;
      this.length[i] = HEX | n;
      this.used += n;
    } else if (s.length < HEX && this.copyLatin1(s)) {
      this.offset[i] = this.used;
      this.length[i] = s.length;
      this.used += s.length;
    } else {
      this.offset[i] = -2;
      this.wide.set(i, s);
    }
  }

  /** Gives row `i` the string of row `j` of `other` (a column of the same kind), bytes as they are. */
  copyRow(i: number, other: StringColumn, j: number): void {
    if (this.offset[i] === -2) this.wide.delete(i);
    const at = other.offset[j]!;
    if (at === -1) {
      this.offset[i] = -1;
      return;
    }
    if (at === -2) {
      this.offset[i] = -2;
      this.wide.set(i, other.wide.get(j)!);
      return;
    }
    const len = other.length[j]!;
    const n = len & ~HEX;
    this.room(n);
    const to = this.used;
    this.bytes.set(other.bytes.subarray(at, at + n), to);
    this.used += n;
    this.offset[i] = to;
    this.length[i] = len;
  }

  /** Writes lowercase hex `s` packed at `used` (not moving it on); false if `s` is not lowercase hex. */
  private packHex(s: string): boolean {
    const n = s.length / 2;
    this.room(n);
    const bytes = this.bytes;
    const at = this.used;
    for (let k = 0; k < n; k++) {
      const hi = hexDigit(s.charCodeAt(2 * k));
      const lo = hexDigit(s.charCodeAt(2 * k + 1));
      if ((hi | lo) < 0) return false;
      bytes[at + k] = (hi << 4) | lo;
    }
    return true;
  }

  /** Writes Latin-1 `s` a byte a character at `used` (not moving it on); false if a character is wider. */
  private copyLatin1(s: string): boolean {
    this.room(s.length);
    const bytes = this.bytes;
    const at = this.used;
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c > 255) return false;
      bytes[at + k] = c;
    }
    return true;
  }

  /** True when row `i` has a string. */
  has(i: number): boolean {
    return this.offset[i] !== -1;
  }

  /** The string of row `i`. */
  get(i: number): string | undefined {
    const at = this.offset[i]!;
    if (at === -1) return undefined;
    if (at === -2) return this.wide.get(i);
    const len = this.length[i]!;
    if ((len & HEX) !== 0) {
      let s = "";
      for (let k = 0; k < (len & ~HEX); k++) {
        const b = this.bytes[at + k]!;
        s += HEX_DIGITS[b >> 4]! + HEX_DIGITS[b & 15]!;
      }
      return s;
    }
    return String.fromCharCode.apply(null, this.bytes.subarray(at, at + len) as unknown as number[]);
  }

  /** True when row `i` holds exactly `s`. */
  equals(i: number, s: string): boolean {
    const at = this.offset[i]!;
    if (at === -1) return false;
    if (at === -2) return this.wide.get(i) === s;
    const len = this.length[i]!;
    if ((len & HEX) !== 0) {
      const n = len & ~HEX;
      if (s.length !== 2 * n) return false;
      for (let k = 0; k < n; k++) {
        const b = this.bytes[at + k]!;
        if (s.charCodeAt(2 * k) !== HEX_DIGITS.charCodeAt(b >> 4) || s.charCodeAt(2 * k + 1) !== HEX_DIGITS.charCodeAt(b & 15)) return false;
      }
      return true;
    }
    if (s.length !== len) return false;
    for (let k = 0; k < len; k++) if (this.bytes[at + k] !== s.charCodeAt(k)) return false;
    return true;
  }

  /** A 32-bit hash of row `i`'s string (equal strings, equal hashes); 0 for none. */
  hash(i: number): number {
    const at = this.offset[i]!;
    if (at === -1) return 0;
    let h = 2166136261;
    if (at === -2) {
      const s = this.wide.get(i)!;
      for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 16777619);
      return h >>> 0;
    }
    const len = this.length[i]!;
    // Hex rows hash their packed bytes; a string is packed or not by its own content, so equal strings agree.
    for (let k = at; k < at + (len & ~HEX); k++) h = Math.imul(h ^ this.bytes[k]!, 16777619);
    return (h ^ (len & HEX)) >>> 0;
  }

  /** True when rows `i` and `j` hold the same string. */
  same(i: number, j: number): boolean {
    const a = this.offset[i]!;
    const b = this.offset[j]!;
    if (a === -1 || b === -1) return a === b;
    if (a === -2 || b === -2) return this.get(i) === this.get(j);
    const la = this.length[i]!;
    if (la !== this.length[j]) return false;
    for (let k = 0; k < (la & ~HEX); k++) if (this.bytes[a + k] !== this.bytes[b + k]) return false;
    return true;
  }

  /** Compares rows `i` and `j` as strings: negative, zero or positive. */
  compare(i: number, j: number): number {
    const x = this.get(i) ?? "";
    const y = this.get(j) ?? "";
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /** The column's state for `rows` rows, copied to its size, and the buffers to transfer. */
  state(rows: number): { state: StringColumnState; transfer: ArrayBuffer[] } {
    const bytes = this.bytes.slice(0, this.used);
    const offset = this.offset.slice(0, rows);
    const length = this.length.slice(0, rows);
    return { state: { bytes, used: this.used, offset, length, wide: this.wide }, transfer: [bytes.buffer, offset.buffer, length.buffer] };
  }

  /** A column taken over from another thread's state, without copying. */
  static fromState(s: StringColumnState, hex: boolean): StringColumn {
    const c = new StringColumn(hex);
    c.bytes = s.bytes;
    c.used = s.used;
    c.offset = s.offset;
    c.length = s.length;
    for (const [k, v] of s.wide) c.wide.set(k, v);
    return c;
  }

  /** Bytes held (for memory figures). */
  get byteLength(): number {
    return this.bytes.byteLength + this.offset.byteLength + this.length.byteLength;
  }
}
