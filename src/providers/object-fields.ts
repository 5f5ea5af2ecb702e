import { hash } from "node:crypto";
import { decimalFromNumber, formatDecimal, parseDecimal } from "../core/index.js";
import type { Headers } from "./types.js";

/** A parsed JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/** True for a JSON object (not an array, not null). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The value as a non-empty string, else undefined. */
export function textOf(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** A number or decimal text >= 0 as exact decimal text (how JSON wrote it), else undefined. */
export function decimalTextOf(v: unknown): string | undefined {
  // The common case, a plain number, is already its exact shortest decimal text.
  if (typeof v === "number" && v >= 0) {
    const text = String(v);
    if (/^\d+(\.\d+)?$/.test(text)) return text;
  }
  const d = typeof v === "number" ? decimalFromNumber(v) : typeof v === "string" ? parseDecimal(v.trim()) : undefined;
  return d !== undefined && d.units >= 0n ? formatDecimal(d) : undefined;
}

/** An ISO 8601 time with a zone as written, else undefined (a time without a zone is not guessed). */
export function isoTimeOf(v: unknown): string | undefined {
  const s = textOf(v);
  return s !== undefined && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s) ? s : undefined;
}

/** Unix seconds (OpenAI's, Luma's `created_at` as a number) as ISO 8601 UTC, else undefined. */
export function unixTimeOf(v: unknown): string | undefined {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) return undefined;
  const d = new Date(Math.round(v * 1000));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A time written either way: ISO 8601 text or unix seconds. */
export function anyTimeOf(v: unknown): string | undefined {
  return isoTimeOf(v) ?? unixTimeOf(v);
}

/** JSON text with object keys sorted, so equal values give equal text. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) {
    let out = "[";
    for (let i = 0; i < v.length; i++) out += (i > 0 ? "," : "") + canonicalJson(v[i]);
    return `${out}]`;
  }
  if (isObject(v)) {
    let out = "{";
    for (const k of Object.keys(v).sort()) {
      if (v[k] === undefined) continue;
      out += `${out.length > 1 ? "," : ""}${JSON.stringify(k)}:${canonicalJson(v[k])}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/**
 * A SHA-256 of a model input (keys sorted), `sha256:<hex>`. The input itself (a prompt) never
 * leaves the adapter. Undefined for an absent or empty input (removed data cannot be compared).
 */
export function hashInput(input: unknown): string | undefined {
  if (input === undefined || input === null) return undefined;
  if (isObject(input) && Object.keys(input).length === 0) return undefined;
  return `sha256:${hash("sha256", canonicalJson(input), "hex")}`;
}

/** A header value by name, whatever the case of the name. */
export function headerOf(headers: Headers | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === want) return v;
  return undefined;
}

/** The names in `known` that are present (not null) in `obj`, for "could not map" notes. */
export function presentFields(obj: JsonObject, known: readonly string[]): string[] {
  return known.filter((path) => {
    let v: unknown = obj;
    for (const part of path.split(".")) v = isObject(v) ? v[part] : undefined;
    return v !== undefined && v !== null;
  });
}

/** First match of `text` against a table of [pattern, value]; for error codes and messages. */
export function matchTable<T>(text: string | undefined, table: readonly (readonly [RegExp, T])[]): T | undefined {
  if (text === undefined) return undefined;
  for (const [re, value] of table) if (re.test(text)) return value;
  return undefined;
}

/** A short, one-line form of a provider's error text (never more than 200 characters). */
export function shortText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > 200 ? `${one.slice(0, 197)}...` : one;
}
