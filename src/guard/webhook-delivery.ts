import type { IncomingMessage, ServerResponse } from "node:http";
import { UsageError } from "../errors.js";
import type { JobObjectFacts } from "../providers/types.js";
import { formatFor, type ProviderFormat } from "./formats.js";
import { verifyWebhook } from "./standard-webhooks.js";

/** How a webhook receiver checks and reads deliveries. */
export interface WebhookOptions {
  /** The provider whose webhooks arrive here (its body format reads them). */
  readonly provider: string;
  /** The Standard Webhooks secret (`whsec_…`, Replicate: `GET /v1/webhooks/default/secret`). */
  readonly secret?: string;
  /** Accept unsigned deliveries (providers whose signature the guard cannot check, e.g. fal's JWKS). Off by default. */
  readonly unsigned?: boolean;
  /** Largest body accepted, in bytes (default 1 MiB). */
  readonly maxBytes?: number;
  /** Seconds a delivery's timestamp may differ from now (default 300). */
  readonly toleranceSeconds?: number;
}

/** A node:http-compatible handler; as middleware, `next` is called with an error it could not handle. */
export type WebhookHandler = (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next?: (err?: unknown) => void) => void;

/** A delivery that passed its checks: the body, what it says, and its `webhook-id`. */
export interface Delivery {
  readonly json: unknown;
  readonly facts: JobObjectFacts & { readonly requestId: string };
}

/** What to answer instead of handling a delivery. */
export interface Refusal {
  readonly status: number;
  readonly text: string;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function rawBody(req: IncomingMessage & { body?: unknown }, max: number): Promise<string | undefined> {
  // A framework may have read the body already (express.raw gives a Buffer, express.text a string).
  if (Buffer.isBuffer(req.body)) return req.body.toString("utf8");
  if (typeof req.body === "string") return req.body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Writes a short plain-text answer. */
export function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(text);
}

/**
 * Reads and checks webhook deliveries for one provider: the Standard Webhooks signature and
 * age, repeats (same `webhook-id`, answered once), and the body through the provider's format.
 */
export class DeliveryReader {
  private readonly format: ProviderFormat;
  private readonly seen = new Set<string>();

  constructor(readonly options: WebhookOptions) {
    const format = formatFor(options.provider);
    if (!format) throw new UsageError(`no body format for provider '${options.provider}', so its webhooks cannot be read`);
    if (!options.secret && !options.unsigned) throw new UsageError("a webhook receiver needs the signing secret (or unsigned: true, at your own risk)");
    this.format = format;
  }

  /** The delivery, or the answer to give instead (405, 413, 401 with why, 200 for a repeat, 400). */
  async read(req: IncomingMessage & { body?: unknown }, nowSeconds: number): Promise<Delivery | Refusal> {
    if (req.method !== "POST") return { status: 405, text: "POST only" };
    const body = await rawBody(req, this.options.maxBytes ?? 1 << 20);
    if (body === undefined) return { status: 413, text: "body too large" };
    const id = header(req, "webhook-id");
    if (this.options.secret) {
      const signed = { id, timestamp: header(req, "webhook-timestamp"), signature: header(req, "webhook-signature") };
      const why = verifyWebhook(this.options.secret, signed, body, nowSeconds, this.options.toleranceSeconds);
      if (why !== undefined) return { status: 401, text: `webhook refused: ${why}` };
    }
    if (id !== undefined && this.seen.has(id)) return { status: 200, text: "already received" };
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { status: 400, text: "body is not JSON" };
    }
    // The delivery's headers too: fal names a webhook's request (and its billable units) there.
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    const facts = this.format.readJobObject(json, headers);
    if (typeof facts === "string" || facts.requestId === undefined) return { status: 400, text: `not a ${this.options.provider} job object` };
    if (id !== undefined) {
      if (this.seen.size > 10_000) this.seen.clear();
      this.seen.add(id);
    }
    return { json, facts: { ...facts, requestId: facts.requestId } };
  }
}

/** True when `read` refused the delivery. */
export function isRefusal(r: Delivery | Refusal): r is Refusal {
  return (r as Refusal).status !== undefined;
}

/** A handler from an async one: errors go to `next` (middleware) or become a 500. */
export function mountable(handle: (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => Promise<void>): WebhookHandler {
  return (req, res, next) => {
    handle(req, res).catch((e: unknown) => {
      if (next) next(e);
      else if (!res.headersSent) reply(res, 500, "webhook receiver failed");
    });
  };
}
