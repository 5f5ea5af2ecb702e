import { isObject, textOf, type JsonObject } from "../../providers/object-fields.js";

/** A parsed JSON object. */
export type Json = JsonObject;

/** True for a plain JSON object (not an array, not null). */
export const isJson = isObject;

/** A non-empty string field, else undefined. */
export const text = textOf;

/** A positive whole number field (or its text), else undefined. */
export function count(v: unknown): number | undefined {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The string fields of an object (URLs a provider returns for a job). */
export function stringFields(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isJson(v)) for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
}

/** The body without some keys (a webhook URL is not part of the input). */
export function omit(v: unknown, keys: readonly string[]): unknown {
  if (!isJson(v)) return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) if (!keys.includes(k)) out[k] = x;
  return out;
}
