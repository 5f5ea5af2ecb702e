import { isJson } from "../guard/shapes/json.js";
import { whole, type FakeContext, type FakeReply, type FakeRequest } from "./fake-context.js";
import { phaseAt, runSecondsAt, type FakeJob } from "./fake-jobs.js";

const REJECTIONS = {
  rate_limit: { status: 429, body: { detail: "Rate limit exceeded" } },
  unavailable: { status: 503, body: { detail: "Service unavailable", error_type: "runner_scheduling_failure" } },
  invalid_input: { status: 422, body: { detail: [{ loc: ["body", "prompt"], msg: "fake provider refuses this input", type: "value_error" }] } },
  auth: { status: 401, body: { detail: "Invalid API key" } },
} as const;

function urls(job: FakeJob, base: string): Record<string, string> {
  const app = job.model.split("/").slice(0, 2).join("/");
  const at = `${base}/${app}/requests/${job.id}`;
  return { response_url: at, status_url: `${at}/status`, cancel_url: `${at}/cancel` };
}

function status(job: FakeJob, base: string, now: number): Record<string, unknown> {
  const phase = phaseAt(job, now);
  const s = phase === "queued" ? "IN_QUEUE" : phase === "running" ? "IN_PROGRESS" : "COMPLETED";
  return {
    status: s,
    request_id: job.id,
    ...urls(job, base),
    ...(s === "IN_QUEUE" ? { queue_position: 0 } : {}),
    ...(s === "COMPLETED" ? { logs: null, metrics: { inference_time: runSecondsAt(job, now) } } : { logs: null }),
  };
}

/** The result of an ended job: its images, or the error it ended with. */
export function falResult(job: FakeJob, now: number): FakeReply {
  const headers = { "x-fal-request-id": job.id };
  const phase = phaseAt(job, now);
  if (phase === "succeeded") {
    const images = Array.from({ length: Number(job.units.image ?? 1) }, (_, i) => ({ url: `https://fal.media/fake/${job.id}/${i}.png`, width: 1024, height: 1024, content_type: "image/png" }));
    return { status: 200, headers, body: { images, seed: 42, has_nsfw_concepts: images.map(() => false) } };
  }
  if (phase === "failed") return { status: 500, headers, body: { detail: "fake provider: the runner crashed", error_type: "internal_error" } };
  if (phase === "canceled") return { status: 400, headers, body: { detail: "Request was cancelled", error_type: "client_cancelled" } };
  return { status: 400, headers, body: { detail: "Request is still in progress" } };
}

/** fal's queue API, under `/fal`. */
export function falApi(ctx: FakeContext, req: FakeRequest): FakeReply {
  const { method, path } = req;
  const one = /^\/(.+?)\/requests\/([^/]+)(\/status|\/cancel)?\/?$/.exec(path);
  if (!one) {
    if (method !== "POST" || path.length < 2) return { status: 404, body: { detail: "Not found" } };
    const model = path.slice(1).replace(/\/$/, "");
    const input = isJson(req.json) ? req.json : {};
    const job = ctx.create("fal", model, input, { image: whole(input.num_images, 1) }, req.query.get("fal_webhook") ?? undefined, 36);
    if (typeof job === "string") {
      const r = REJECTIONS[job];
      return { ...r, ...(job === "rate_limit" ? { headers: { "retry-after": String(ctx.settings.retryAfterSeconds) } } : {}) };
    }
    return { status: 200, headers: { "x-fal-request-id": job.id }, body: { status: "IN_QUEUE", request_id: job.id, ...urls(job, req.base), queue_position: 0 } };
  }
  const job = ctx.find(one[2], "fal");
  if (!job) return { status: 404, body: { status: "NOT_FOUND", detail: "Request not found" } };
  if (one[3] === "/cancel") {
    if (method !== "PUT") return { status: 405, body: { detail: "Method not allowed" } };
    return ctx.cancel(job) ? { status: 202, body: { status: "CANCELLATION_REQUESTED" } } : { status: 400, body: { status: "ALREADY_COMPLETED" } };
  }
  if (method !== "GET") return { status: 405, body: { detail: "Method not allowed" } };
  if (one[3] === "/status") {
    ctx.stats.polls++;
    return { status: 200, body: status(job, req.base, ctx.now()) };
  }
  return falResult(job, ctx.now());
}
