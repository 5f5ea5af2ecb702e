import type { Patterns, SdkRetriesReport } from "../core/index.js";

/** What each cause of waste means, in a few words (terminal and HTML reports). */
export const CAUSE_WORDS: Readonly<Record<string, string>> = {
  duplicate_submission: "duplicate submission",
  webhook: "webhook re-runs",
  timeout: "timeouts",
  rate_limit: "rate limits",
  invalid_input: "invalid input",
  unavailable: "provider unavailable",
  quality: "output rejected (quality)",
  auth: "auth / quota",
  other: "other failures",
  canceled: "canceled",
  superseded: "superseded (another attempt used)",
};

const ANSWER_WORDS: Record<string, string> = {
  outcome: "outcome never became known (client timeout, still in flight)",
  polls: "whether status polls are billed",
};

/** A policy answer's path (`bills.canceled`, `polls`…) as the question it answers. */
export function describeAnswer(answer: string): string {
  if (ANSWER_WORDS[answer]) return ANSWER_WORDS[answer];
  const m = /^bills\.(rejected\.)?(.+)$/.exec(answer);
  if (!m) return answer;
  return m[1] ? `whether a rejected request (${m[2]}) is billed` : `whether a ${m[2]!.replace("_", " ")} job is billed`;
}

/** `n` and a noun, grouped digits: `1,204 attempts`, `1 retry`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** One line of the cost review's checklist (spec §5): its name, what was measured, its money. */
export interface ChecklistRow {
  readonly key: keyof Patterns | "sdk_retries";
  readonly name: string;
  readonly what: string;
  readonly cost: string;
}

/** The checklist's patterns as sentences, in the order the reports show them; SDK retries last, when there are any. */
export function checklistRows(p: Patterns, sdk?: SdkRetriesReport): ChecklistRow[] {
  const r = p.retry_multiplication;
  const rows: ChecklistRow[] = [
    { key: "job_creation_charge", name: "job creation charge", what: `${plural(p.job_creation_charge.count, "attempt")} not used, charged per job created`, cost: p.job_creation_charge.cost },
    { key: "partial_processing", name: "partial processing", what: `${plural(p.partial_processing.count, "attempt")} billed for run time, and did not succeed`, cost: p.partial_processing.cost },
    {
      key: "retry_multiplication",
      name: "retry multiplication",
      what: `${plural(r.retries, "retry", "retries")} on ${plural(r.jobs_with_retries, "job")}: ${r.attempts_per_job_mean.toFixed(2)} attempts a job (p95 ${r.attempts_per_job_p95}, max ${r.attempts_per_job_max})`,
      cost: r.cost,
    },
    {
      key: "timeout_billing",
      name: "timeout billing",
      what: `${plural(p.timeout_billing.count, "attempt")} timed out (${p.timeout_billing.client_timeouts} by the caller, ${p.timeout_billing.provider_timeouts} at the provider)`,
      cost: p.timeout_billing.cost,
    },
    { key: "duplicate_submission", name: "duplicate submission", what: `${plural(p.duplicate_submission.count, "duplicate attempt")} on ${plural(p.duplicate_submission.jobs, "job")}`, cost: p.duplicate_submission.cost },
    {
      key: "polling_excess",
      name: "polling excess",
      what: `${p.polling_excess.count.toLocaleString("en-US")} of ${plural(p.polling_excess.polls, "poll")} too close together (${p.polling_excess.too_close.toLocaleString("en-US")}) or while a webhook was set (${p.polling_excess.while_webhook.toLocaleString("en-US")})`,
      cost: p.polling_excess.cost,
    },
  ];
  if (sdk && sdk.count > 0) {
    const who = Object.keys(sdk.by_provider).sort().join(", ");
    rows.push({ key: "sdk_retries", name: "SDK retries", what: `${plural(sdk.count, "attempt")} an SDK most likely retried on its own (${who})`, cost: sdk.cost });
  }
  return rows;
}
