// A fast-check arbitrary for realistic event logs: jobs with attempts of every fate, shared input
// hashes (duplicates), polls, webhooks, re-runs and charges, on two providers.
import fc from "fast-check";
import { at } from "./audit.js";

const FATES = ["success", "failed", "rejected", "pending", "late_success", "canceled", "timed_out", "output_rejected", "requeued"] as const;
const ERRORS = ["rate_limit", "invalid_input", "timeout", "unavailable", "auth", "other"] as const;

const attemptArb = fc.record({
  fate: fc.constantFrom(...FATES),
  hash: fc.constantFrom("h0", "h1", "h2", "h3", "h4", undefined),
  gap: fc.integer({ min: 0, max: 900 }),
  run: fc.integer({ min: 0, max: 120_000 }).map((ms) => ms / 1000),
  polls: fc.array(fc.integer({ min: 1, max: 5_000 }), { maxLength: 4 }),
  error: fc.constantFrom(...ERRORS),
  status: fc.constantFrom(429, 422, 400, 401, 503, 500, 504),
  webhook: fc.boolean(),
  charge: fc.option(fc.integer({ min: -50, max: 500 }).map((c) => (c / 1000).toFixed(3)), { freq: 4 }),
  images: fc.integer({ min: 1, max: 4 }),
});

const jobArb = fc.record({
  provider: fc.constantFrom("test", "test2"),
  model: fc.constantFrom("test/img", "test/cheap-a", "test/cheap-special"),
  start: fc.integer({ min: 0, max: 3 * 86_400 }),
  attempts: fc.array(attemptArb, { minLength: 1, maxLength: 4 }),
});

/** Events of a random log (unsorted as generated: per job, per attempt). */
export const randomLog = fc.array(jobArb, { minLength: 1, maxLength: 25 }).map((jobs) => {
  const events: Record<string, unknown>[] = [];
  jobs.forEach((j, jn) => {
    let t = j.start;
    j.attempts.forEach((a, k) => {
      const base = { provider: j.provider, model: j.model, job: `job-${jn}`, attempt: k + 1 };
      const rid = `req-${jn}-${k + 1}`;
      const e = (type: string, s: number, extra: Record<string, unknown> = {}): void => void events.push({ ts: at(s), ...base, type, ...extra });
      t += a.gap;
      const prev = j.attempts[k - 1];
      // A provider re-run starts without a submit of the caller's.
      if (prev?.fate !== "requeued") e("submitted", t, { ...(a.hash ? { input_hash: a.hash } : {}), units: { image: a.images }, ...(a.webhook ? { webhook: true } : {}) });
      if (a.fate === "rejected") {
        e("rejected", t + 0.25, { http_status: a.status });
        return;
      }
      e("created", t + 0.5, { request_id: rid });
      let p = t + 0.5;
      for (const d of a.polls) e("polled", (p += d / 1000), { request_id: rid });
      const end = t + 0.5 + a.run;
      const done = (outcome: string, s: number, extra: Record<string, unknown> = {}): void => e("completed", s, { request_id: rid, outcome, run_seconds: a.run, ...extra });
      switch (a.fate) {
        case "success":
          done("succeeded", end, { units: { image: a.images } });
          break;
        case "requeued":
          done("succeeded", end, { units: { image: a.images } });
          e("webhook_failed", end + 1, { request_id: rid, requeued: true });
          break;
        case "output_rejected":
          done("succeeded", end, { units: { image: a.images } });
          e("output_rejected", end + 1, { error: "quality" });
          break;
        case "failed":
          done("failed", end, { error: a.error });
          break;
        case "pending":
          e("client_timeout", t + 30, { request_id: rid, waited_seconds: 30 });
          break;
        case "late_success":
          e("client_timeout", t + 1, { request_id: rid, waited_seconds: 1 });
          done("succeeded", end + 2, { units: { image: a.images } });
          break;
        case "canceled":
          e("cancel_requested", t + 1, { request_id: rid });
          done("canceled", end + 1);
          break;
        case "timed_out":
          done("timed_out", end);
          break;
      }
      if (a.charge !== null) events.push({ ts: at(t + 86_400), provider: j.provider, request_id: rid, type: "charged", amount: a.charge, currency: "USD" });
      t = end + 1;
    });
  });
  return events;
});
