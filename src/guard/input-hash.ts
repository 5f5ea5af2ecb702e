import { createHash } from "node:crypto";

/** JSON text with object keys sorted, so the same input hashes the same whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  const parts: string[] = [];
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) parts.push(`${JSON.stringify(k)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(",")}}`;
}

/**
 * The `input_hash` of a create request: SHA-256 of the provider, the model and the input
 * (canonical JSON where the body is JSON, else its bytes), as `sha256:<hex>`. The input itself
 * never leaves the process.
 */
export function inputHash(provider: string, model: string, input: unknown, raw?: Uint8Array): string {
  const h = createHash("sha256").update(provider).update("\0").update(model).update("\0");
  if (input !== undefined) h.update(canonicalJson(input));
  else if (raw) h.update(raw);
  return `sha256:${h.digest("hex")}`;
}
