import type { Clock } from "../../guard/clock.js";
import { isJson, text } from "../../guard/shapes/json.js";
import type { DemoJob } from "./workload.js";

/** Where the demo's app sends its requests. */
export interface DemoTarget {
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  readonly urls: { readonly replicate: string; readonly fal: string; readonly openai: string };
  /** How often the app polls, in ms. */
  readonly pollMs: number;
}

const HEADERS = { "content-type": "application/json", authorization: "Bearer demo-key-not-recorded" };

async function post(t: DemoTarget, url: string, body: unknown, signal: AbortSignal): Promise<Record<string, unknown>> {
  const res = await t.fetch(url, { method: "POST", headers: HEADERS, body: JSON.stringify(body), signal });
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return isJson(json) ? json : {};
}

async function get(t: DemoTarget, url: string, signal: AbortSignal): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await t.fetch(url, { headers: HEADERS, signal });
  const json: unknown = await res.json().catch(() => undefined);
  return { status: res.status, json: isJson(json) ? json : {} };
}

/** Polls `url` until `done` says the job ended; returns the last body. */
async function pollUntil(t: DemoTarget, url: string, signal: AbortSignal, done: (j: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  for (;;) {
    await t.clock.sleep(t.pollMs, signal);
    const { status, json } = await get(t, url, signal);
    if (status === 200 && done(json)) return json;
  }
}

/**
 * One try at a job, written the way apps usually are: create, poll until it ends, throw if it
 * failed. Plain fetch, so the same code runs through a recording-only client and the guard.
 */
export async function runOnce(t: DemoTarget, job: DemoJob, signal: AbortSignal): Promise<void> {
  if (job.provider === "replicate") {
    const p = await post(t, `${t.urls.replicate}/models/${job.model}/predictions`, { input: { prompt: job.prompt, num_outputs: 1 } }, signal);
    const urls = isJson(p.urls) ? p.urls : {};
    const end = await pollUntil(t, text(urls.get)!, signal, (j) => ["succeeded", "failed", "canceled"].includes(String(j.status)));
    if (end.status !== "succeeded") throw new Error(`prediction ${String(end.status)}`);
    return;
  }
  if (job.provider === "fal") {
    const q = await post(t, `${t.urls.fal}/${job.model}`, { prompt: job.prompt, num_images: 1 }, signal);
    await pollUntil(t, text(q.status_url)!, signal, (j) => j.status === "COMPLETED");
    const r = await get(t, text(q.response_url)!, signal);
    if (r.status !== 200) throw new Error(`fal result HTTP ${r.status}`);
    return;
  }
  const v = await post(t, `${t.urls.openai}/videos`, { model: job.model, prompt: job.prompt, seconds: "4", size: "720x1280" }, signal);
  const end = await pollUntil(t, `${t.urls.openai}/videos/${text(v.id)!}`, signal, (j) => j.status === "completed" || j.status === "failed");
  if (end.status !== "completed") throw new Error("video failed");
}
