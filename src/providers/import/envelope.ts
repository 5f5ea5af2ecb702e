import { isObject, isoTimeOf, textOf, type JsonObject } from "../object-fields.js";
import type { Headers } from "../types.js";

/**
 * One import item, unwrapped. Logs that keep more than a provider's body wrap it:
 * `{"body": {…}, "headers": {…}, "status": 429, "received_at": "…", "model": "…"}`
 * (`http_status` and `ts` are read too). A bare provider object has no envelope.
 */
export interface Envelope {
  readonly body: unknown;
  /** Response headers, lower-case names. */
  readonly headers?: Headers;
  /** The HTTP status of the response, where logged. */
  readonly status?: number;
  /** When the caller received it (ISO 8601 with a zone). */
  readonly receivedAt?: string;
  readonly model?: string;
  /** The whole item as read (for `--job-from`). */
  readonly raw: JsonObject | undefined;
}

function headersOf(v: unknown): Headers | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === "string") out[k.toLowerCase()] = val;
    else if (typeof val === "number") out[k.toLowerCase()] = String(val);
    else if (Array.isArray(val) && typeof val[0] === "string") out[k.toLowerCase()] = val[0];
  }
  return out;
}

/** Unwraps an envelope (an object with a `body` object or array), else takes the item as the body. */
export function unwrap(item: unknown): Envelope {
  if (!isObject(item) || !(isObject(item.body) || Array.isArray(item.body) || typeof item.body === "string")) {
    return { body: item, raw: isObject(item) ? item : undefined };
  }
  const status = typeof item.status === "number" ? item.status : typeof item.http_status === "number" ? item.http_status : undefined;
  const headers = headersOf(item.headers);
  const receivedAt = isoTimeOf(item.received_at) ?? isoTimeOf(item.ts);
  const model = textOf(item.model);
  return {
    body: item.body,
    raw: item,
    ...(headers ? { headers } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(receivedAt ? { receivedAt } : {}),
    ...(model ? { model } : {}),
  };
}

/** A dotted path's value (`input.job_id`, `metadata.job`) as a job name, if it is text or a number. */
export function fieldOf(obj: unknown, path: string): string | undefined {
  let v: unknown = obj;
  for (const part of path.split(".")) v = isObject(v) ? v[part] : undefined;
  if (typeof v === "string" && v !== "") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}
