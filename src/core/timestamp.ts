/**
 * ISO 8601 timestamps as real logs write them, read into microseconds since the epoch.
 * Accepts `T` or a space between date and time, `Z`, `±HH:MM`, `±HHMM` or `±HH` zones, and any
 * number of fraction digits (milli-, micro-, nanoseconds; digits past the microsecond are read
 * into `nanos` but the audit keeps microseconds).
 */
export interface Instant {
  /** Whole microseconds since 1970-01-01T00:00:00Z. */
  readonly micros: number;
  /** Nanoseconds past `micros` (0–999). */
  readonly nanos: number;
}

/** Why a timestamp was refused, for problem messages. */
export type TimestampError = "not an ISO 8601 date-time" | "has no time zone (add Z or an offset)" | "is not a real date or time";

// The byte reader returns microseconds, or one of these non-finite values for why not.
const NOT_ISO = Number.NaN;
const NO_ZONE = Number.POSITIVE_INFINITY;
const NOT_REAL = Number.NEGATIVE_INFINITY;

function digits(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = b[i]! - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = y - 1;
  const leapDays = Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400);
  return yy * 365 + leapDays + DAYS_BEFORE_MONTH[m - 1]! + (m > 2 && isLeap(y) ? 1 : 0) + d - 1 - 719162;
}

/**
 * Reads an ISO 8601 date-time with a zone from bytes `b[start, end)`, without allocating.
 * Returns microseconds since the epoch; NaN (not ISO 8601), +Infinity (no zone) or -Infinity (not
 * a real date) when it cannot. `Number.isFinite` tells success.
 */
export function timestampMicros(b: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len < 16) return NOT_ISO;
  const y = digits(b, start, 4);
  const mo = digits(b, start + 5, 2);
  const d = digits(b, start + 8, 2);
  const sep = b[start + 10];
  if (y < 0 || mo < 0 || d < 0 || b[start + 4] !== 45 || b[start + 7] !== 45 || (sep !== 84 && sep !== 32 && sep !== 116)) return NOT_ISO;
  const h = digits(b, start + 11, 2);
  const mi = digits(b, start + 14, 2);
  if (h < 0 || mi < 0 || b[start + 13] !== 58) return NOT_ISO;
  let i = start + 16;
  let sec = 0;
  let micros = 0;
  if (b[i] === 58) {
    sec = digits(b, i + 1, 2);
    if (sec < 0) return NOT_ISO;
    i += 3;
    if (b[i] === 46 || b[i] === 44) {
      i++;
      const from = i;
      let frac = 0;
      while (i < end) {
        const c = b[i]! - 48;
        if (!(c >= 0 && c <= 9)) break;
        if (i - from < 6) frac = frac * 10 + c;
        i++;
      }
      if (i === from) return NOT_ISO;
      for (let k = Math.min(i - from, 6); k < 6; k++) frac *= 10;
      micros = frac;
    }
  }
  if (i >= end) return NO_ZONE;
  let offsetMinutes = 0;
  const z = b[i];
  if (z === 90 || z === 122) {
    if (i + 1 !== end) return NOT_ISO;
  } else if (z === 43 || z === 45) {
    const rest = end - i - 1;
    let oh: number;
    let om = 0;
    if (rest === 2) oh = digits(b, i + 1, 2);
    else if (rest === 4) {
      oh = digits(b, i + 1, 2);
      om = digits(b, i + 3, 2);
    } else if (rest === 5 && b[i + 3] === 58) {
      oh = digits(b, i + 1, 2);
      om = digits(b, i + 4, 2);
    } else return NOT_ISO;
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return NOT_ISO;
    offsetMinutes = (oh * 60 + om) * (z === 45 ? -1 : 1);
  } else {
    return NOT_ISO;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[mo - 1]!) || h > 24 || mi > 59 || sec > 60) return NOT_REAL;
  if (h === 24 && (mi !== 0 || sec !== 0 || micros !== 0)) return NOT_REAL;
  // A leap second (:60) is read as the first instant of the next minute.
  const seconds = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offsetMinutes * 60;
  return seconds * 1_000_000 + micros;
}

/** Why `timestampMicros` refused, from its non-finite result. */
export function timestampError(result: number): TimestampError {
  return result === NO_ZONE ? "has no time zone (add Z or an offset)" : result === NOT_REAL ? "is not a real date or time" : "not an ISO 8601 date-time";
}

const encoder = new TextEncoder();

/** Reads an ISO 8601 date-time with a zone; a string result says why it was refused. */
export function parseTimestamp(s: string): Instant | TimestampError {
  const b = encoder.encode(s);
  const micros = timestampMicros(b, 0, b.length);
  if (!Number.isFinite(micros)) return timestampError(micros);
  // Nanoseconds: fraction digits 7 to 9, where given.
  const m = /[.,]\d{6}(\d{1,3})/.exec(s);
  const nanos = m ? Number(m[1]!.padEnd(3, "0")) : 0;
  return { micros, nanos };
}

/** Compares two instants: negative, zero or positive. */
export function compareInstants(a: Instant, b: Instant): number {
  return a.micros - b.micros || a.nanos - b.nanos;
}

/** The UTC day (`YYYY-MM-DD`) an instant falls on. */
export function utcDay(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString().slice(0, 10);
}

/** An instant as ISO 8601 in UTC with microseconds: `2026-11-01T10:00:00.123456Z`. */
export function formatInstant(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const iso = new Date(ms).toISOString();
  const us = micros - ms * 1000;
  return us === 0 ? iso : `${iso.slice(0, 23)}${String(us).padStart(3, "0")}Z`;
}
