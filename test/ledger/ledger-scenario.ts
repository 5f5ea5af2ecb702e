// A small hand-made ledger scenario whose audit figures are worked out by hand in the tests:
// a job straddling midnight, a duplicate of a job submitted before the range, a duplicate of
// another provider's job, a charge that arrives weeks later, and old jobs for prune.

import { parsePolicy, type Policy } from "../../src/core/index.js";

type Event = Record<string, unknown>;

interface AttemptSpec {
  readonly job: string;
  readonly attempt?: number;
  readonly at: string;
  readonly provider?: string;
  readonly model?: string;
  readonly outcome?: "succeeded" | "failed";
  readonly images?: number;
  readonly hash?: string;
  readonly rid: string;
}

const plus = (iso: string, seconds: number): string => new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** submitted, created (+1 s) and completed (+10 s) events of one attempt. */
export function attemptEvents(a: AttemptSpec): Event[] {
  const base = { provider: a.provider ?? "acme", model: a.model ?? "acme/img-fast", job: a.job, attempt: a.attempt ?? 1 };
  const outcome = a.outcome ?? "succeeded";
  return [
    { ...base, ts: a.at, type: "submitted", input_hash: a.hash ?? `hash-${a.job}-${a.attempt ?? 1}` },
    { ...base, ts: plus(a.at, 1), type: "created", request_id: a.rid },
    { ...base, ts: plus(a.at, 10), type: "completed", request_id: a.rid, outcome, ...(outcome === "succeeded" ? { units: { image: a.images ?? 1 } } : { error: "other" }) },
  ];
}

/** A charge from billing data. */
export function charge(rid: string, at: string, amount: string, provider = "acme"): Event {
  return { ts: at, type: "charged", provider, request_id: rid, amount, currency: "USD" };
}

/**
 * The scenario (acme img models: 0.002 a job + 0.003 an image for a success, nothing for a
 * failure's units; zeta: 0.0005 a request + 0.02 an image).
 */
export function scenarioEvents(): Event[] {
  return [
    ...attemptEvents({ job: "straddle", attempt: 1, at: "2026-11-01T23:58:00Z", outcome: "failed", rid: "s1" }),
    ...attemptEvents({ job: "straddle", attempt: 2, at: "2026-11-02T00:03:00Z", rid: "s2" }),
    ...attemptEvents({ job: "orig", at: "2026-11-01T23:55:00Z", hash: "H", rid: "o1" }),
    ...attemptEvents({ job: "dup", at: "2026-11-02T00:01:00Z", hash: "H", rid: "d1" }),
    ...attemptEvents({ job: "j1", at: "2026-11-02T10:00:00Z", images: 2, rid: "j1r" }),
    ...attemptEvents({ job: "zorig", at: "2026-11-03T10:00:00Z", provider: "zeta", model: "zeta/text-small", hash: "H2", rid: "z1" }),
    ...attemptEvents({ job: "adup", at: "2026-11-03T10:05:00Z", hash: "H2", rid: "a1" }),
    ...attemptEvents({ job: "far", at: "2026-11-10T00:00:00Z", rid: "f1" }),
    charge("f1", "2026-11-11T00:00:00Z", "0.04"),
    charge("unknown-1", "2026-11-02T05:00:00Z", "0.5"),
    // For prune: an old job charged the same day, an old job charged after the date, an old
    // charge that matches nothing.
    ...attemptEvents({ job: "oldcharged", at: "2026-11-01T10:00:00Z", rid: "oc1" }),
    charge("oc1", "2026-11-01T20:00:00Z", "0.01"),
    ...attemptEvents({ job: "latecharged", at: "2026-11-01T11:00:00Z", rid: "lc1" }),
    charge("lc1", "2026-11-05T00:00:00Z", "0.02"),
    charge("old-unknown", "2026-11-01T12:00:00Z", "0.3"),
  ];
}

/** The charge for j1 that arrives weeks later. */
export const LATE_CHARGE: Event = charge("j1r", "2026-11-25T00:00:00Z", "0.05");

/** The scenario's providers' policy files, as JSON (one `unknown` answer each, for ranges). */
export const SCENARIO_POLICY_FILES: readonly Record<string, unknown>[] = [
  {
    provider: "acme",
    currency: "USD",
    sources: ["https://acme.example/billing"],
    prices: { "*": { per_second: "0.0011" }, "acme/img-*": { per_job: "0.002", per_unit: { image: "0.003" }, max_run_seconds: 60 } },
    bills: { succeeded: ["per_job", "per_second", "per_unit"], failed: ["per_job", "per_second"], canceled: "unknown", timed_out: ["per_job", "per_second"], rejected: { "*": [] } },
    polls: false,
    min_poll_seconds: 2,
  },
  {
    provider: "zeta",
    currency: "USD",
    sources: ["https://zeta.example/pricing"],
    prices: { "*": { per_request: "0.0005", per_unit: { image: "0.02" }, max_run_seconds: 30 } },
    bills: { succeeded: ["per_request", "per_unit"], failed: ["per_request"], canceled: ["per_request"], timed_out: "unknown", rejected: { rate_limit: [], "*": ["per_request"] } },
    polls: true,
  },
];

/** The policies the scenario is priced with. */
export function scenarioPolicies(): Policy[] {
  return SCENARIO_POLICY_FILES.map((r) => {
    const p = parsePolicy(r);
    if (!p.ok) throw new Error(JSON.stringify(p.issues));
    return p.policy;
  });
}
