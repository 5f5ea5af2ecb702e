// Helpers for audit tests: a compact way to write events, policies and run the audit in memory.
import { createAudit, parsePolicy, type AuditOptions, type AuditedAttempt, type Policy, type Report } from "../../src/core/index.js";
import { parsePolicyText } from "../../src/policies/load-policies.js";

/** A time `seconds` after 2026-11-01T10:00:00Z, as ISO 8601. */
export function at(seconds: number): string {
  return new Date(Date.UTC(2026, 10, 1, 10, 0, 0) + seconds * 1000).toISOString();
}

/** Event fields for one attempt; `ev` adds `type`, `ts` and the rest. */
export interface AttemptRef {
  readonly job: string;
  readonly attempt: number;
  readonly provider?: string;
  readonly model?: string;
}

/** One event of an attempt at `seconds`, with extra fields. */
export function ev(ref: AttemptRef, type: string, seconds: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ts: at(seconds), provider: ref.provider ?? "test", model: ref.model ?? "test/img", job: ref.job, attempt: ref.attempt, type, ...extra };
}

/** A `charged` event. */
export function charged(requestId: string, amount: string, seconds = 86_400, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ts: at(seconds), provider: "test", request_id: requestId, type: "charged", amount, currency: "USD", ...extra };
}

/**
 * The test policy: every component, every kind of answer.
 *   "*": per_job 0.01, per_second 0.001, per_unit image 0.04 / video_second 0.1, per_request 0.0005, max_run_seconds 100
 *   "test/cheap-*": per_second 0.0001 only; "test/cheap-special": per_job 1 only
 *   succeeded: all four; failed: per_job, per_second, per_request; canceled: per_second;
 *   timed_out: unknown; rejected: rate_limit per_request, invalid_input unknown, * nothing;
 *   polls billed per_request; min_poll_seconds 2.
 */
export const TEST_POLICY_YAML = `
provider: test
currency: USD
checked: 2026-11-01
sources: ["https://example.test/billing"]
prices:
  "*": { per_job: "0.01", per_second: "0.001", per_unit: { image: "0.04", video_second: "0.1" }, per_request: "0.0005", max_run_seconds: 100 }
  "test/cheap-*": { per_second: "0.0001" }
  "test/cheap-special": { per_job: "1" }
bills:
  succeeded: [per_job, per_second, per_unit, per_request]
  failed: [per_job, per_second, per_request]
  canceled: [per_second]
  timed_out: unknown
  rejected: { rate_limit: [per_request], invalid_input: unknown, "*": [] }
polls: true
min_poll_seconds: 2
`;

/** The test policy, checked. */
export const TEST_POLICY: Policy = parsePolicyText(TEST_POLICY_YAML, "test.yaml");

/** A policy from an object, failing the test if it is invalid. */
export function policy(raw: unknown): Policy {
  const r = parsePolicy(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.policy;
}

/** Audits events in memory; returns the report and every audited attempt. */
export function audit(events: readonly unknown[], options: Partial<AuditOptions> = {}): { report: Report; attempts: AuditedAttempt[]; scale: number } {
  const a = createAudit({ policies: [TEST_POLICY], ...options });
  events.forEach((e, k) => a.addValue(e, { file: "events.jsonl", line: k + 1 }));
  const attempts: AuditedAttempt[] = [];
  let scale = 0;
  const report = a.finish((list, s) => {
    attempts.push(...list);
    scale = s;
  });
  return { report, attempts, scale };
}

/** A simple succeeded attempt: submitted, created, completed. */
export function success(ref: AttemptRef, t: number, opts: { run?: number; units?: Record<string, number>; hash?: string; rid?: string; end?: number } = {}): Record<string, unknown>[] {
  const rid = opts.rid ?? `${ref.job}-${ref.attempt}`;
  return [
    ev(ref, "submitted", t, { input_hash: opts.hash ?? `h-${ref.job}-${ref.attempt}` }),
    ev(ref, "created", t + 1, { request_id: rid }),
    ev(ref, "completed", opts.end ?? t + 10, { request_id: rid, outcome: "succeeded", run_seconds: opts.run ?? 8, units: opts.units ?? { image: 1 } }),
  ];
}
