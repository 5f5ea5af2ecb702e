import { createHmac, timingSafeEqual } from "node:crypto";

/** The Standard Webhooks headers (https://www.standardwebhooks.com), as Replicate and OpenAI send them. */
export interface SignedHeaders {
  readonly id: string | undefined;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
}

/** The `v1,<base64>` signature of a body: HMAC-SHA256 over `id.timestamp.body` with the secret's key. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac("sha256", keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest("base64");
  return `v1,${mac}`;
}

/**
 * Checks a webhook's signature and age: one of the space-separated `v1,` signatures must match
 * (compared in constant time) and the timestamp must be within `toleranceSeconds` of now.
 * Returns undefined when valid, else why not.
 */
export function verifyWebhook(secret: string, headers: SignedHeaders, body: string, nowSeconds: number, toleranceSeconds = 300): string | undefined {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return "missing webhook-id, webhook-timestamp or webhook-signature";
  if (!/^\d+$/.test(timestamp)) return "webhook-timestamp is not a number of seconds";
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return "webhook-timestamp is too old or in the future";
  const expected = Buffer.from(signWebhook(secret, id, Number(timestamp), body).slice(3), "base64");
  for (const part of signature.split(" ")) {
    const [version, value] = part.split(",", 2);
    if (version !== "v1" || !value) continue;
    const given = Buffer.from(value, "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return undefined;
  }
  return "no signature matches";
}
