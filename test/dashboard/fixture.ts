import { mkdtemp, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isEventProblem, readEvent, type StoredEvent } from "../../src/core/index.js";

/** A job id, a model name and a provider name that would run if a page ever treated them as HTML. */
export const HOSTILE = {
  job: `<img src=x onerror="window.__pwned='job'">`,
  model: `<script>window.__pwned='model'</script>`,
  provider: `<i onmouseover="window.__pwned='provider'">np</i>`,
} as const;

export const POLICY = `provider: acme
currency: USD
checked: 2026-11-01
sources: ["https://docs.acme.example/billing"]
prices:
  "*": { per_second: "0.001" }
  "acme/img-*": { per_job: "0.002", per_unit: { image: "0.01" }, max_run_seconds: 60 }
bills:
  succeeded: [per_job, per_second, per_unit, per_request]
  failed: [per_job, per_second, per_request]
  canceled: unknown
  timed_out: [per_job, per_second]
  rejected: { rate_limit: [], invalid_input: unknown, "*": [] }
polls: false
min_poll_seconds: 2
`;

type Line = Record<string, unknown>;

function at(day: 1 | 2, seconds: number): string {
  return new Date(Date.UTC(2026, 10, day, 10, 0, 0) + seconds * 1000).toISOString();
}

function ev(type: string, day: 1 | 2, s: number, job: string, attempt: number, extra: Line = {}, model = "acme/img-1", provider = "acme"): Line {
  return { ts: at(day, s), provider, model, job, attempt, type, ...extra };
}

/** A job that succeeds at its first attempt with one image. */
function ok(job: string, day: 1 | 2, s: number, attempt = 1, rid = `r-${job}-${attempt}`, extra: Line = {}): Line[] {
  return [ev("submitted", day, s, job, attempt, extra), ev("created", day, s + 1, job, attempt, { request_id: rid }), ev("completed", day, s + 9, job, attempt, { request_id: rid, outcome: "succeeded", run_seconds: 8, units: { image: 1 } })];
}

/**
 * The events of the dashboard tests. Hand-computed under POLICY (img-* costs 0.002 a job and
 * 0.01 an image; "*" costs 0.001 a second):
 * - job-ok: charged 0.0125 (the charge replaces the 0.012 estimate); useful.
 * - HOSTILE.job: attempt 1 failed (unavailable) 0.002 waste; attempt 2 0.012 useful.
 * - job-timeout: attempt 1 timed out for the caller then succeeded, 0.012 waste (timeout); attempt 2 0.012 useful.
 * - job-model (HOSTILE.model, "*" price): failed after 20 s, 0.02 waste (other); charged 0.02.
 * - job-rate: 429 (rate_limit, not billed), then 0.012 useful.
 * - job-cancel: canceled, `unknown`: low 0, high 0.002.
 * - job-dup-a / job-dup-b: same input hash a minute apart: 0.012 useful, 0.012 waste (duplicate).
 * - job-np (HOSTILE.provider): no policy, so unpriced (a problem naming the provider).
 * Billed 0.1065, useful 0.0605, waste 0.046, billed high 0.1085.
 */
export function fixtureEvents(): Line[] {
  return [
    ...ok("job-ok", 1, 0),
    { ts: at(2, 0), provider: "acme", request_id: "r-job-ok-1", type: "charged", amount: "0.0125", currency: "USD" },
    ev("submitted", 1, 100, HOSTILE.job, 1),
    ev("created", 1, 101, HOSTILE.job, 1, { request_id: "r-h-1" }),
    ev("completed", 1, 106, HOSTILE.job, 1, { request_id: "r-h-1", outcome: "failed", run_seconds: 5, error: "unavailable" }),
    ...ok(HOSTILE.job, 1, 200, 2, "r-h-2"),
    ev("submitted", 2, 0, "job-timeout", 1),
    ev("created", 2, 1, "job-timeout", 1, { request_id: "r-t-1" }),
    ev("polled", 2, 2, "job-timeout", 1, { request_id: "r-t-1", http_status: 200 }),
    ev("polled", 2, 3, "job-timeout", 1, { request_id: "r-t-1", http_status: 200 }),
    ev("client_timeout", 2, 30, "job-timeout", 1, { waited_seconds: 30 }),
    ev("completed", 2, 40, "job-timeout", 1, { request_id: "r-t-1", outcome: "succeeded", run_seconds: 39, units: { image: 1 } }),
    ev("webhook_failed", 2, 41, "job-timeout", 1, { request_id: "r-t-1", requeued: false }),
    ...ok("job-timeout", 2, 60, 2, "r-t-2"),
    ev("submitted", 2, 100, "job-model", 1, {}, HOSTILE.model),
    ev("completed", 2, 121, "job-model", 1, { request_id: "r-m-1", outcome: "failed", run_seconds: 20, error: "other" }, HOSTILE.model),
    { ts: at(2, 500), provider: "acme", request_id: "r-m-1", type: "charged", amount: "0.02", currency: "USD" },
    ev("rejected", 2, 200, "job-rate", 1, { http_status: 429 }),
    ...ok("job-rate", 2, 210, 2),
    ev("submitted", 2, 300, "job-cancel", 1),
    ev("completed", 2, 303, "job-cancel", 1, { request_id: "r-c-1", outcome: "canceled", run_seconds: 3 }),
    ...ok("job-dup-a", 1, 400, 1, "r-d-a", { input_hash: "h1" }),
    ...ok("job-dup-b", 1, 460, 1, "r-d-b", { input_hash: "h1" }),
    ev("submitted", 1, 500, "job-np", 1, {}, "m", HOSTILE.provider),
    ev("completed", 1, 510, "job-np", 1, { outcome: "succeeded" }, "m", HOSTILE.provider),
  ];
}

/** A fresh folder with policies/acme.yaml and events.jsonl. */
export async function writeFixture(lines: readonly Line[] = fixtureEvents()): Promise<{ dir: string; events: string; policies: string }> {
  const dir = await mkdtemp(join(tmpdir(), "failcost-dash-"));
  const policies = join(dir, "policies");
  await mkdir(policies);
  await writeFile(join(policies, "acme.yaml"), POLICY);
  const events = join(dir, "events.jsonl");
  await writeFile(events, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  return { dir, events, policies };
}

/** Reads fixture lines into stored events (they are all valid). */
export function storedEvents(lines: readonly Record<string, unknown>[]): StoredEvent[] {
  return lines.map((l) => {
    const r = readEvent(l);
    if (isEventProblem(r)) throw new Error(r.why);
    return { event: r.event, micros: r.at.micros };
  });
}
