import type { ViewFilter } from "./view.js";

/** The URL parameters a filter uses, in the order they are written. */
export const FILTER_KEYS = ["from", "to", "provider", "model"] as const;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight UTC of a `YYYY-MM-DD` day in µs, or undefined when it is not a real date. */
export function dayMicros(day: string): number | undefined {
  const m = DAY.exec(day);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === day ? ms * 1000 : undefined;
}

/** A filter read from URL parameters, or why it is wrong (naming the parameter). */
export function readFilter(params: URLSearchParams): ViewFilter | { readonly problem: string } {
  const out: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const v = params.get(key);
    if (v === null || v === "") continue;
    if ((key === "from" || key === "to") && dayMicros(v) === undefined) return { problem: `${key}: expected a date like 2026-11-01` };
    out[key] = v;
  }
  if (out.from !== undefined && out.to !== undefined && out.from > out.to) return { problem: "from: the range starts after it ends" };
  return out;
}

/** The filter as URL parameters (empty parts left out), so links and reloads keep it. */
export function filterQuery(filter: ViewFilter): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filter[key] !== undefined && filter[key] !== "") params.set(key, filter[key]);
  return params.toString();
}

/** The audit options a filter means: attempts starting from `from` through the end of `to`. */
export function filterAuditOptions(filter: ViewFilter): { sinceMicros?: number; untilMicros?: number; provider?: string; model?: string } {
  const since = filter.from === undefined ? undefined : dayMicros(filter.from);
  const to = filter.to === undefined ? undefined : dayMicros(filter.to);
  return {
    ...(since !== undefined ? { sinceMicros: since } : {}),
    ...(to !== undefined ? { untilMicros: to + 86_400_000_000 } : {}),
    ...(filter.provider !== undefined ? { provider: filter.provider } : {}),
    ...(filter.model !== undefined ? { model: filter.model } : {}),
  };
}

/** True when nothing is filtered. */
export function isWholeView(filter: ViewFilter): boolean {
  return FILTER_KEYS.every((k) => filter[k] === undefined);
}
