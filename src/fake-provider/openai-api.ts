import { isJson, text } from "../guard/shapes/json.js";
import { whole, type FakeContext, type FakeReply, type FakeRequest } from "./fake-context.js";
import { phaseAt, type FakeJob } from "./fake-jobs.js";

function rejection(ctx: FakeContext, failure: "rate_limit" | "unavailable" | "invalid_input" | "auth"): FakeReply {
  const after = ctx.settings.retryAfterSeconds;
  switch (failure) {
    case "rate_limit":
      return { status: 429, headers: { "retry-after": String(after), "retry-after-ms": String(after * 1000) }, body: { error: { message: "Rate limit reached (fake provider)", type: "requests", param: null, code: "rate_limit_exceeded" } } };
    case "unavailable":
      return { status: 503, body: { error: { message: "The server is overloaded (fake provider)", type: "server_error", param: null, code: null } } };
    case "invalid_input":
      return { status: 400, body: { error: { message: "Your request was rejected by the safety system (fake provider)", type: "invalid_request_error", param: null, code: "moderation_blocked" } } };
    case "auth":
      return { status: 401, body: { error: { message: "Incorrect API key provided", type: "invalid_request_error", param: null, code: "invalid_api_key" } } };
  }
}

function video(job: FakeJob, now: number): Record<string, unknown> {
  const phase = phaseAt(job, now);
  const status = phase === "queued" ? "queued" : phase === "running" ? "in_progress" : phase === "succeeded" ? "completed" : "failed";
  const span = job.endsAt - job.createdAt;
  return {
    id: job.id,
    object: "video",
    model: job.model,
    status,
    progress: status === "completed" ? 100 : Math.min(99, Math.floor(((now - job.createdAt) / span) * 100)),
    created_at: Math.floor(job.createdAt / 1000),
    completed_at: status === "completed" || status === "failed" ? Math.floor(job.endsAt / 1000) : null,
    expires_at: null,
    error: status === "failed" ? { code: "internal_error", message: "fake provider: generation failed" } : null,
    seconds: String(job.units.video_second),
    size: "720x1280",
    remixed_from_video_id: null,
  };
}

/** OpenAI's images (answered directly, after the job's run time) and videos (jobs) APIs, under `/openai/v1`. */
export function openaiApi(ctx: FakeContext, req: FakeRequest): FakeReply {
  const { method, path } = req;
  const body = isJson(req.json) ? req.json : {};
  const model = text(body.model) ?? "unknown";
  if (method === "POST" && /^\/images\/generations\/?$/.test(path)) {
    const n = whole(body.n, 1);
    const job = ctx.create("openai", model, body, { image: n }, undefined, 24);
    if (typeof job === "string") return rejection(ctx, job);
    const requestId = `req_${job.id}`;
    // A direct API: the answer comes when the job ends, and a failed job is a 500.
    const headers = { "x-request-id": requestId };
    return { status: 200, later: { until: job.endsAt, reply: (now) => openaiImagesReply(job, now, headers) } };
  }
  if (method === "POST" && /^\/videos\/?$/.test(path)) {
    const job = ctx.create("openai", model, body, { video_second: whole(body.seconds, 4) }, undefined, 24);
    if (typeof job === "string") return rejection(ctx, job);
    return { status: 200, headers: { "x-request-id": `req_${job.id}` }, body: video(job, ctx.now()) };
  }
  const one = /^\/videos\/([^/]+)\/?$/.exec(path);
  const job = ctx.find(one?.[1], "openai");
  if (!one || !job) return { status: 404, body: { error: { message: "Not found", type: "invalid_request_error", param: null, code: null } } };
  if (method === "GET") {
    ctx.stats.polls++;
    return { status: 200, body: video(job, ctx.now()) };
  }
  if (method === "DELETE") return { status: 200, body: { id: job.id, object: "video.deleted", deleted: true } };
  return { status: 405, body: { error: { message: "Method not allowed", type: "invalid_request_error", param: null, code: null } } };
}

/** The body of a held image generation once its job ended. */
export function openaiImagesReply(job: FakeJob, now: number, headers: Readonly<Record<string, string>>): FakeReply {
  if (phaseAt(job, now) !== "succeeded") return { status: 500, headers, body: { error: { message: "The server had an error while processing your request (fake provider)", type: "server_error", param: null, code: null } } };
  const n = Number(job.units.image ?? 1);
  return { status: 200, headers, body: { created: Math.floor(job.createdAt / 1000), data: Array.from({ length: n }, (_, i) => ({ url: `https://oaidalleapiprodscus.blob.core.windows.net/fake/${job.id}-${i}.png` })) } };
}
