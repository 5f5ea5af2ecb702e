import { parseTimestamp } from "../core/index.js";
import { UsageError } from "../errors.js";

/** Reads `--since`/`--until`: a date (midnight UTC) or an ISO 8601 time with a zone, in µs. */
export function parseWhen(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const at = parseTimestamp(text);
  if (typeof at === "string") throw new UsageError(`${flag} ${JSON.stringify(value)}: ${at}; use a date like 2026-11-01 or a time like 2026-11-01T10:00:00Z`);
  return at.micros;
}

/** Reads `--since` and `--until` together: each as `parseWhen`, and `--since` before `--until`. */
export function parseSpan(since: string | undefined, until: string | undefined): { sinceMicros?: number; untilMicros?: number } {
  const s = parseWhen("--since", since);
  const u = parseWhen("--until", until);
  if (s !== undefined && u !== undefined && s >= u) throw new UsageError(`--since ${since} is not before --until ${until}: nothing could match`);
  return { ...(s !== undefined ? { sinceMicros: s } : {}), ...(u !== undefined ? { untilMicros: u } : {}) };
}

/** Reads a whole number option >= min. */
export function parseCount(flag: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} ${JSON.stringify(value)}: expected a whole number >= ${min}`);
  return n;
}

/** Reads a number option >= 0 (minutes, seconds). */
export function parseAmount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} ${JSON.stringify(value)}: expected a number >= 0`);
  return n;
}

/** Checks a list option against its allowed values. */
export function parseChoices<T extends string>(flag: string, values: readonly string[] | undefined, allowed: readonly T[]): T[] {
  const out: T[] = [];
  for (const v of values ?? []) {
    if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${flag} ${JSON.stringify(v)}: expected one of ${allowed.join(", ")}`);
    if (!out.includes(v as T)) out.push(v as T);
  }
  return out;
}
