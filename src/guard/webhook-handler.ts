import type { IncomingMessage, ServerResponse } from "node:http";
import type { GuardCore } from "./guard-core.js";
import type { AttemptState } from "./state.js";
import { verifyWebhook } from "./standard-webhooks.js";
import { UsageError } from "../errors.js";

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

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(text);
}

/**
 * Receives a provider's webhooks: verifies the Standard Webhooks signature (401 if it fails),
 * records `webhook_delivered` (and `completed` where the body is final) for the attempt with
 * that request id, and ends polling for it. Repeated deliveries (same `webhook-id`) are
 * acknowledged once. Mount it on any node:http server or as middleware.
 */
export function createWebhookHandler(core: GuardCore, options: WebhookOptions): WebhookHandler {
  const format = core.formatFor(options.provider);
  if (!format) throw new UsageError(`no body format for provider '${options.provider}', so its webhooks cannot be read`);
  if (!options.secret && !options.unsigned) throw new UsageError("a webhook receiver needs the signing secret (or unsigned: true, at your own risk)");
  const seen = new Set<string>();
  const max = options.maxBytes ?? 1 << 20;
  const handle = async (req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void> => {
    if (req.method !== "POST") return reply(res, 405, "POST only");
    const body = await rawBody(req, max);
    if (body === undefined) return reply(res, 413, "body too large");
    const id = header(req, "webhook-id");
    if (options.secret) {
      const why = verifyWebhook(options.secret, { id, timestamp: header(req, "webhook-timestamp"), signature: header(req, "webhook-signature") }, body, Math.floor(core.now() / 1000), options.toleranceSeconds);
      if (why !== undefined) {
        core.stats.webhooks.refused++;
        return reply(res, 401, `webhook refused: ${why}`);
      }
    }
    if (id !== undefined && seen.has(id)) return reply(res, 200, "already received");
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return reply(res, 400, "body is not JSON");
    }
    const facts = format.readJobObject(json);
    if (typeof facts === "string" || facts.requestId === undefined) return reply(res, 400, `not a ${options.provider} job object`);
    const att = core.attemptFor(options.provider, facts.requestId);
    if (id !== undefined) {
      if (seen.size > 10_000) seen.clear();
      seen.add(id);
    }
    const deliver = (a: AttemptState): void => {
      core.stats.webhooks.accepted++;
      core.record(a, "webhook_delivered");
      a.lastBody = json;
      if (core.completeFrom(a, facts)) a.finalBody = json;
    };
    if (!att) {
      core.stats.webhooks.unmatched++;
      core.notice({ kind: "webhook_unmatched", provider: options.provider, requestId: facts.requestId });
      core.holdEarly(options.provider, facts.requestId, deliver);
      return reply(res, 202, "accepted: no job of this guard has that request id (yet)");
    }
    deliver(att);
    reply(res, 200, "ok");
  };
  return (req, res, next) => {
    handle(req, res).catch((e: unknown) => {
      if (next) next(e);
      else if (!res.headersSent) reply(res, 500, "webhook receiver failed");
    });
  };
}
