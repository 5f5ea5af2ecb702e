import { isJson, text } from "../guard/shapes/json.js";
import { whole, type FakeContext, type FakeReply, type FakeRequest } from "./fake-context.js";
import { endOf, phaseAt, runSecondsAt, type FakeJob } from "./fake-jobs.js";

const REJECTIONS = {
  rate_limit: { status: 429, body: { title: "Request was throttled", detail: "Request was throttled. Your rate limit resets in ~1s.", status: 429 } },
  unavailable: { status: 503, body: { title: "Service Unavailable", detail: "Replicate is temporarily unavailable.", status: 503 } },
  invalid_input: { status: 422, body: { title: "Input validation failed", detail: "- input.prompt: fake provider refuses this input", status: 422 } },
  auth: { status: 401, body: { title: "Unauthenticated", detail: "You did not pass a valid authentication token", status: 401 } },
} as const;

const iso = (ms: number): string => new Date(ms).toISOString();

/** A prediction object as Replicate returns it (https://replicate.com/docs/topics/predictions). */
export function prediction(job: FakeJob, base: string, now: number): Record<string, unknown> {
  const phase = phaseAt(job, now);
  const status = phase === "queued" ? "starting" : phase === "running" ? "processing" : phase;
  const ended = status === "succeeded" || status === "failed" || status === "canceled";
  const n = Number(job.units.image ?? 1);
  return {
    id: job.id,
    model: job.model,
    version: "fake",
    input: job.input,
    logs: "",
    output: status === "succeeded" ? Array.from({ length: n }, (_, i) => `https://replicate.delivery/fake/${job.id}/out-${i}.png`) : null,
    data_removed: false,
    error: status === "failed" ? "fake provider: the model crashed" : null,
    status,
    source: "api",
    created_at: iso(job.createdAt),
    ...(phase !== "queued" ? { started_at: iso(job.createdAt + (job.endsAt - job.createdAt) * 0.1) } : {}),
    ...(ended ? { completed_at: iso(Math.min(now, job.canceledAt ?? job.endsAt)), metrics: { predict_time: runSecondsAt(job, now) } } : {}),
    ...(job.webhook ? { webhook: job.webhook } : {}),
    urls: { get: `${base}/predictions/${job.id}`, cancel: `${base}/predictions/${job.id}/cancel` },
  };
}

function preferWait(header: string | string[] | undefined): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (!v) return undefined;
  const m = /^wait(?:=(\d+))?$/.exec(v.trim());
  return m ? Number(m[1] ?? 60) : undefined;
}

function create(ctx: FakeContext, req: FakeRequest, model: string | undefined): FakeReply {
  const body = isJson(req.json) ? req.json : {};
  const name = model ?? text(body.version) ?? "unknown";
  const input = isJson(body.input) ? body.input : {};
  const job = ctx.create("replicate", name, input, { image: whole(input.num_outputs, 1) }, text(body.webhook));
  if (typeof job === "string") {
    const r = REJECTIONS[job];
    return { ...r, ...(job === "rate_limit" ? { headers: { "retry-after": String(ctx.settings.retryAfterSeconds) } } : {}) };
  }
  const wait = preferWait(req.headers.prefer);
  if (wait !== undefined) {
    return { status: 201, later: { until: Math.min(ctx.now() + wait * 1000, endOf(job)), reply: (now) => ({ status: 201, body: prediction(job, req.base, now) }) } };
  }
  return { status: 201, body: prediction(job, req.base, ctx.now()) };
}

/** Replicate's predictions API, under `/replicate/v1`. */
export function replicateApi(ctx: FakeContext, req: FakeRequest): FakeReply {
  const { method, path } = req;
  const c = /^\/(?:models\/([^/]+\/[^/]+)\/)?predictions\/?$/.exec(path);
  if (c && method === "POST") return create(ctx, req, c[1]);
  const one = /^\/predictions\/([^/]+)(\/cancel)?\/?$/.exec(path);
  const job = ctx.find(one?.[1], "replicate");
  if (!one || !job) return { status: 404, body: { detail: "Not found.", status: 404 } };
  if (one[2] && method === "POST") {
    ctx.cancel(job);
    return { status: 200, body: prediction(job, req.base, ctx.now()) };
  }
  if (!one[2] && method === "GET") {
    ctx.stats.polls++;
    return { status: 200, body: prediction(job, req.base, ctx.now()) };
  }
  return { status: 405, body: { detail: "Method not allowed" } };
}
