/**
 * How long a response asks the caller to wait, in milliseconds: `retry-after-ms` (OpenAI's),
 * then `Retry-After` as seconds or an HTTP date. Undefined when absent or unreadable; never negative.
 */
export function retryAfterMs(header: (name: string) => string | null | undefined, nowMs: number): number | undefined {
  const ms = header("retry-after-ms");
  if (ms != null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Number(ms);
  const value = header("retry-after");
  if (value == null || value.trim() === "") return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
