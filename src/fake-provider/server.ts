import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ChargedEvent, Policy } from "../core/index.js";
import { systemClock, type Clock } from "../guard/clock.js";
import { canonicalJson } from "../guard/input-hash.js";
import { signWebhook } from "../guard/standard-webhooks.js";
import { falApi, falResult } from "./fal-api.js";
import { FakeContext, type FakeReply, type FakeRequest, type FakeStats } from "./fake-context.js";
import { chargesOf, endOf, phaseAt, type FakeJob } from "./fake-jobs.js";
import { FAKE_POLICIES } from "./fake-policies.js";
import { between, DEFAULT_FAKE_SETTINGS, draw, type FailureRates, type FakeSettings } from "./fates.js";
import { openaiApi } from "./openai-api.js";
import { prediction, replicateApi } from "./replicate-api.js";

/** How to start the fake provider; everything is optional. */
export interface FakeProviderOptions {
  readonly seed?: number;
  readonly rates?: Partial<FailureRates>;
  readonly runSeconds?: readonly [number, number];
  readonly slowSeconds?: readonly [number, number];
  readonly latencyMs?: readonly [number, number];
  readonly retryAfterSeconds?: number;
  /** Port on 127.0.0.1 (default 0: any free port). */
  readonly port?: number;
  /** The fake's clock (a VirtualClock for demos); latencies wait on `parked` where it has one. */
  readonly clock?: Clock & { parked?(ms: number): Promise<void> };
  /** The fetch webhooks are sent with. */
  readonly fetch?: typeof fetch;
  /** Signs Replicate-shaped webhooks (Standard Webhooks) with this `whsec_…` secret. */
  readonly webhookSecret?: string;
  /** The fake's own billing rules, for `charges()` (default: FAKE_POLICIES). */
  readonly policies?: readonly Policy[];
}

/** A running fake provider. */
export interface FakeProvider {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Base URLs to give SDKs: Replicate's `baseUrl`, OpenAI's `baseURL`, fal's queue host. */
  readonly urls: { readonly replicate: string; readonly fal: string; readonly openai: string };
  /** The same, as `createGuard({ endpoints })` takes them. */
  readonly endpoints: Readonly<Record<string, string>>;
  readonly stats: FakeStats;
  readonly settings: FakeSettings;
  /** A fetch that reaches this fake in process, without a socket (same answers, same timing). */
  readonly fetch: typeof fetch;
  jobs(): FakeJob[];
  /** What the fake bills for each job it accepted (every job as if run to its end). */
  charges(): ChargedEvent[];
  close(): Promise<void>;
}

const PREFIXES = [
  ["/replicate/v1", "replicate"],
  ["/fal", "fal"],
  ["/openai/v1", "openai"],
] as const;

/** A body as the APIs read it: JSON, or the text fields of a multipart form (OpenAI's video create). */
async function parseBody(bytes: Uint8Array, contentType: string | undefined): Promise<unknown> {
  if (bytes.length === 0) return undefined;
  if (contentType?.startsWith("multipart/form-data")) {
    const form = await new Response(bytes as BodyInit, { headers: { "content-type": contentType } }).formData();
    return Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return parseBody(Buffer.concat(chunks), req.headers["content-type"]);
}

function webhookBody(job: FakeJob, base: string, now: number): unknown {
  if (job.provider === "replicate") return prediction(job, base, now);
  const r = falResult(job, now);
  const ok = phaseAt(job, now) === "succeeded";
  return { request_id: job.id, gateway_request_id: job.id, status: ok ? "OK" : "ERROR", payload: r.body, ...(ok ? {} : { error: `Invalid status code: ${r.status}` }) };
}

/**
 * Starts the fake provider on 127.0.0.1: Replicate-, fal- and OpenAI-shaped APIs under
 * `/replicate/v1`, `/fal` and `/openai/v1`, with failure rates per failure type, latencies,
 * 429s with Retry-After, slow jobs, cancels and webhooks. Every random choice comes from the seed
 * and the request's content, so a run is the same under the same seed.
 */
export async function startFakeProvider(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const d = DEFAULT_FAKE_SETTINGS;
  const settings: FakeSettings = {
    seed: options.seed ?? d.seed,
    rates: { ...d.rates, ...options.rates },
    runSeconds: options.runSeconds ?? d.runSeconds,
    slowSeconds: options.slowSeconds ?? d.slowSeconds,
    latencyMs: options.latencyMs ?? d.latencyMs,
    retryAfterSeconds: options.retryAfterSeconds ?? d.retryAfterSeconds,
  };
  const clock: Clock & { parked?(ms: number): Promise<void> } = options.clock ?? systemClock;
  const wait = (ms: number): Promise<void> => (ms <= 0 ? Promise.resolve() : clock.parked ? clock.parked(ms) : clock.sleep(ms));
  const send = options.fetch ?? globalThis.fetch.bind(globalThis);
  const policies = new Map((options.policies ?? FAKE_POLICIES).map((p) => [p.provider, p]));
  let url = "";
  const baseOf = (provider: string): string => `${url}${PREFIXES.find(([, p]) => p === provider)![0]}`;
  const deliver = async (job: FakeJob): Promise<void> => {
    // A timer may fire before the wall clock reaches its time (the event loop's cached time
    // lags under load): sleep again rather than send nothing.
    while (clock.now() < endOf(job)) await clock.sleep(endOf(job) - clock.now());
    if (job.webhookSent) return;
    job.webhookSent = true;
    ctx.stats.webhooks++;
    const body = JSON.stringify(webhookBody(job, baseOf(job.provider), clock.now()));
    const id = `msg_${job.id}`;
    const ts = Math.floor(clock.now() / 1000);
    const headers: Record<string, string> = { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts) };
    if (options.webhookSecret) headers["webhook-signature"] = signWebhook(options.webhookSecret, id, ts, body);
    await send(job.webhook!, { method: "POST", headers, body }).catch(() => undefined);
  };
  const ctx = new FakeContext(settings, clock, (job) => void deliver(job));
  const counts = new Map<string, number>();

  /** Answers one request: the provider APIs, the response latency, then any hold. */
  const respond = async (method: string, rawUrl: string, headers: IncomingHttpHeaders, json: unknown): Promise<{ status: number; headers: Record<string, string>; body: string }> => {
    const u = new URL(rawUrl, "http://127.0.0.1");
    const hit = PREFIXES.find(([prefix]) => u.pathname === prefix || u.pathname.startsWith(`${prefix}/`));
    let reply: FakeReply = { status: 404, body: { detail: "not a fake provider route" } };
    if (hit) {
      const fake: FakeRequest = { method, path: u.pathname.slice(hit[0].length) || "/", query: u.searchParams, headers, json, base: `${url}${hit[0]}` };
      const api = hit[1] === "replicate" ? replicateApi : hit[1] === "fal" ? falApi : openaiApi;
      reply = api(ctx, fake);
    }
    // Latency drawn from the request itself (and how often it was made), not from arrival order.
    const key = `${method} ${u.pathname}${u.search} ${canonicalJson(json)}`;
    const n = counts.get(key) ?? 0;
    counts.set(key, n + 1);
    await wait(Math.round(between(settings.latencyMs, draw(settings.seed, "latency", `${key}#${n}`))));
    if (reply.later) {
      await wait(reply.later.until - clock.now());
      reply = reply.later.reply(Math.max(clock.now(), reply.later.until));
    }
    return { status: reply.status, headers: { "content-type": "application/json", ...reply.headers }, body: reply.body === undefined ? "" : JSON.stringify(reply.body) };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const r = await respond(req.method ?? "GET", req.url ?? "/", req.headers, await readBody(req));
    res.writeHead(r.status, r.headers);
    res.end(r.body);
  };

  /** The same API without a socket: a fetch answered in process (for the demo's thousands of calls). */
  const inProcess = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = typeof input === "string" || input instanceof URL ? undefined : input;
    const href = request ? request.url : input instanceof URL ? input.href : (input as string);
    const headers: IncomingHttpHeaders = {};
    new Headers(init?.headers ?? request?.headers).forEach((v, k) => (headers[k] = v));
    const raw = init?.body ?? (request ? await request.arrayBuffer() : undefined);
    let json: unknown;
    if (raw instanceof FormData) json = Object.fromEntries([...raw.entries()].filter(([, v]) => typeof v === "string"));
    else if (raw != null) json = await parseBody(new Uint8Array(await new Response(raw).arrayBuffer()), headers["content-type"]);
    const u = new URL(href);
    const r = await respond((init?.method ?? request?.method ?? "GET").toUpperCase(), `${u.pathname}${u.search}`, headers, json);
    const res = new Response(r.body === "" ? null : r.body, { status: r.status, headers: r.headers });
    Object.defineProperty(res, "url", { value: href });
    return res;
  }) as typeof fetch;

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ detail: "fake provider failed" }));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const urls = { replicate: baseOf("replicate"), fal: baseOf("fal"), openai: baseOf("openai") };
  return {
    url,
    urls,
    endpoints: { [urls.replicate]: "replicate", [urls.fal]: "fal", [urls.openai]: "openai" },
    stats: ctx.stats,
    settings,
    fetch: inProcess,
    jobs: () => [...ctx.jobs.values()],
    charges: () => chargesOf(ctx.jobs.values(), policies),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
