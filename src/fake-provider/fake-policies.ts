import { parsePolicy, type Policy } from "../core/index.js";

/**
 * The fake provider's own billing rules, used for its `charges()` and by the demo's audits.
 * They are a simulation's, shaped like each provider's documented model (Replicate bills run
 * time, also for failed and canceled runs; fal bills delivered images; OpenAI bills images and
 * video seconds delivered), not any provider's real prices.
 */
const RAW: readonly unknown[] = [
  {
    provider: "replicate",
    currency: "USD",
    notes: "fake provider: run time, like Replicate's public models on an A100",
    prices: { "*": { per_second: "0.0014", max_run_seconds: 600 } },
    bills: { succeeded: ["per_second"], failed: ["per_second"], canceled: ["per_second"], timed_out: ["per_second"], rejected: { "*": [] } },
    polls: false,
    min_poll_seconds: 1,
  },
  {
    provider: "fal",
    currency: "USD",
    notes: "fake provider: per image delivered",
    prices: { "*": { per_unit: { image: "0.025" }, max_run_seconds: 300 } },
    bills: { succeeded: ["per_unit"], failed: [], canceled: [], timed_out: [], rejected: { "*": [] } },
    polls: false,
    min_poll_seconds: 1,
  },
  {
    provider: "openai",
    currency: "USD",
    notes: "fake provider: per image and per video second delivered",
    prices: { "*": { per_unit: { image: "0.04", video_second: "0.10" }, max_run_seconds: 900 } },
    bills: { succeeded: ["per_unit"], failed: [], canceled: [], timed_out: [], rejected: { "*": [] } },
    polls: false,
    min_poll_seconds: 2,
  },
];

/** The fake provider's billing policies (checked by the same parser as users' policies). */
export const FAKE_POLICIES: readonly Policy[] = RAW.map((raw) => {
  const r = parsePolicy(raw);
  if (!r.ok) throw new Error(`fake provider policy is invalid: ${JSON.stringify(r.issues)}`);
  return r.policy;
});
