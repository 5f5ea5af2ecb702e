/**
 * ISO 8601 timestamps as real logs write them, read into microseconds since the epoch.
 * Accepts `T` or a space between date and time, `Z`, `±HH:MM`, `±HHMM` or `±HH` zones, and any
 * number of fraction digits (milli-, micro-, nanoseconds). Digits past the microsecond are kept
 * in `nanos` so two events a few nanoseconds apart still sort correctly.
 */
export interface Instant {
  /** Whole microseconds since 1970-01-01T00:00:00Z. */
  readonly micros: number;
  /** Nanoseconds past `micros` (0–999). */
  readonly nanos: number;
}

/** Why a timestamp was refused, for problem messages. */
export type TimestampError = "not an ISO 8601 date-time" | "has no time zone (add Z or an offset)" | "is not a real date or time";

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = y - 1;
  const leapDays = Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400);
  const days = yy * 365 + leapDays + DAYS_BEFORE_MONTH[m - 1]! + (m > 2 && isLeap(y) ? 1 : 0) + d - 1;
  return days - 719162;
}

/** Reads an ISO 8601 date-time with a zone; a string result says why it was refused. */
export function parseTimestamp(s: string): Instant | TimestampError {
  const len = s.length;
  if (len < 17) return "not an ISO 8601 date-time";
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const sep = s.charCodeAt(10);
  if (y < 0 || mo < 0 || d < 0 || s[4] !== "-" || s[7] !== "-" || (sep !== 84 && sep !== 32 && sep !== 116)) {
    return "not an ISO 8601 date-time";
  }
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  if (h < 0 || mi < 0 || s[13] !== ":") return "not an ISO 8601 date-time";
  let i = 16;
  let sec = 0;
  let micros = 0;
  let nanos = 0;
  if (s[i] === ":") {
    sec = digits(s, i + 1, 2);
    if (sec < 0) return "not an ISO 8601 date-time";
    i += 3;
    if (s[i] === "." || s[i] === ",") {
      i++;
      const start = i;
      let frac = 0;
      let n = 0;
      while (i < len) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        if (n < 9) frac = frac * 10 + c;
        n++;
        i++;
      }
      if (i === start) return "not an ISO 8601 date-time";
      for (let k = n; k < 9; k++) frac *= 10;
      micros = Math.floor(frac / 1000);
      nanos = frac % 1000;
    }
  }
  if (i >= len) return "has no time zone (add Z or an offset)";
  let offsetMinutes = 0;
  const z = s[i];
  if (z === "Z" || z === "z") {
    if (i + 1 !== len) return "not an ISO 8601 date-time";
  } else if (z === "+" || z === "-") {
    const rest = len - i - 1;
    let oh: number;
    let om = 0;
    if (rest === 2) oh = digits(s, i + 1, 2);
    else if (rest === 4) {
      oh = digits(s, i + 1, 2);
      om = digits(s, i + 3, 2);
    } else if (rest === 5 && s[i + 3] === ":") {
      oh = digits(s, i + 1, 2);
      om = digits(s, i + 4, 2);
    } else return "not an ISO 8601 date-time";
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return "not an ISO 8601 date-time";
    offsetMinutes = (oh * 60 + om) * (z === "-" ? -1 : 1);
  } else {
    return "not an ISO 8601 date-time";
  }
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 24 || mi > 59 || sec > 60) {
    return "is not a real date or time";
  }
  if (h === 24 && (mi !== 0 || sec !== 0 || micros !== 0 || nanos !== 0)) return "is not a real date or time";
  // A leap second (:60) is read as the first instant of the next minute.
  const seconds = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offsetMinutes * 60;
  return { micros: seconds * 1_000_000 + micros, nanos };
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
