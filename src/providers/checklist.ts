import { FAILURE_TYPES, type BillAnswer, type Evidence, type FailureType, type Policy, type SdkRetryRule } from "../core/index.js";

/** The cost review's questions, in a user's words, by the short key of a table column. */
export const CHECKLIST_QUESTIONS = [
  { key: "failed", column: "failed?", question: "Does the provider charge for failed requests?" },
  { key: "canceled", column: "cancelled?", question: "Are cancelled jobs billed?" },
  { key: "timed_out", column: "timeouts?", question: "Are timed-out jobs billed?" },
  { key: "rejected", column: "rejected?", question: "Are rejected requests (refused at create: 4xx, 429) billed?" },
  { key: "polls", column: "polls?", question: "Does polling count (is each status request billed)?" },
  { key: "free_retries", column: "free retries?", question: "Is there a free retry policy (the provider retries failures at no charge)?" },
  { key: "backoff", column: "backoff", question: "What retry backoff is advised?" },
  { key: "prices", column: "prices", question: "Are prices known, or must they come from you?" },
] as const;

/** One checklist question's key. */
export type QuestionKey = (typeof CHECKLIST_QUESTIONS)[number]["key"];

/** One answer: a word for the table, a longer form, and where it comes from. */
export interface ChecklistAnswer {
  /** `yes`, `no`, `unknown`, `varies`, or a short text (backoff, prices). */
  readonly answer: string;
  /** The answer in full (components, by failure type). */
  readonly detail: string;
  /** The evidence behind it (empty where no source says). */
  readonly evidence: readonly (Evidence & { readonly path: string })[];
}

/** One provider's row of the checklist. */
export interface ChecklistRow {
  readonly provider: string;
  readonly answers: Readonly<Record<QuestionKey, ChecklistAnswer>>;
  readonly sdk?: SdkRetryRule;
}

function word(a: BillAnswer): "yes" | "no" | "unknown" {
  return a === "unknown" ? "unknown" : a.length === 0 ? "no" : "yes";
}

function describe(a: BillAnswer): string {
  return a === "unknown" ? "unknown" : a.length === 0 ? "no" : `yes (${a.join(", ")})`;
}

function evidenceFor(policy: Policy, paths: readonly string[]): (Evidence & { path: string })[] {
  const out: (Evidence & { path: string })[] = [];
  for (const p of paths) {
    const e = policy.evidence?.[p];
    if (e) out.push({ path: p, ...e });
  }
  return out;
}

/** An answer that may differ by failure type: one word if every part agrees, else `varies`. */
function byType(policy: Policy, key: "failed" | "rejected", rest: BillAnswer | undefined, types: Readonly<Partial<Record<string, BillAnswer>>>): ChecklistAnswer {
  const parts = Object.entries(types).filter(([t]) => t !== "*") as [FailureType, BillAnswer][];
  const all: BillAnswer[] = [...parts.map(([, a]) => a), ...(rest !== undefined ? [rest] : [])];
  const words = new Set(all.map(word));
  const answer = all.length === 0 ? "unknown" : words.size === 1 ? [...words][0]! : "varies";
  const ordered = parts.sort((a, b) => FAILURE_TYPES.indexOf(a[0]) - FAILURE_TYPES.indexOf(b[0]));
  const detail =
    parts.length === 0
      ? describe(rest ?? "unknown")
      : [...ordered.map(([t, a]) => `${t}: ${describe(a)}`), `any other type: ${describe(rest ?? "unknown")}`].join("; ");
  const paths = [`bills.${key}`, ...parts.map(([t]) => `bills.${key}.${t}`), `bills.${key}.*`];
  return { answer, detail, evidence: evidenceFor(policy, paths) };
}

function simple(policy: Policy, a: BillAnswer, path: string): ChecklistAnswer {
  return { answer: word(a), detail: describe(a), evidence: evidenceFor(policy, [path]) };
}

function pricesAnswer(policy: Policy, shipped: boolean): ChecklistAnswer {
  const evidence = evidenceFor(policy, ["prices"]);
  const models = policy.prices.map((r) => r.pattern);
  const hasDefault = models.includes("*");
  if (policy.prices_from_user && models.length === 0) return { answer: "missing", detail: "none: no source gives them, so they must come from you", evidence };
  if (policy.prices_from_user && !hasDefault) return { answer: `${models.length} models`, detail: `for ${models.join(", ")} only; the rest must come from you`, evidence };
  if (models.length === 0) return { answer: "missing", detail: "none in this policy", evidence };
  return { answer: shipped ? "shipped" : "yours", detail: `${hasDefault ? "every model (a \"*\" default)" : models.join(", ")}`, evidence };
}

/** One provider's checklist row from its policy (and its SDK's retry facts, if known). */
export function checklistRow(policy: Policy, shipped: boolean, sdk?: SdkRetryRule): ChecklistRow {
  const b = policy.bills;
  const rejectedRest = b.rejected["*"];
  const free = policy.free_retries ?? "unknown";
  return {
    provider: policy.provider,
    answers: {
      failed: byType(policy, "failed", b.failed, b.failed_by_type ?? {}),
      canceled: simple(policy, b.canceled, "bills.canceled"),
      timed_out: simple(policy, b.timed_out, "bills.timed_out"),
      rejected: byType(policy, "rejected", rejectedRest ?? (Object.keys(b.rejected).length === 0 ? "unknown" : undefined), b.rejected),
      polls: { answer: policy.polls === "unknown" ? "unknown" : policy.polls ? "yes" : "no", detail: policy.polls === true ? "yes: each status request costs per_request" : String(policy.polls === false ? "no" : "unknown"), evidence: evidenceFor(policy, ["polls"]) },
      free_retries: { answer: free === "unknown" ? "unknown" : free ? "yes" : "no", detail: String(free === "unknown" ? "unknown" : free ? "yes" : "no"), evidence: evidenceFor(policy, ["free_retries"]) },
      backoff: { answer: policy.backoff ?? "unknown", detail: policy.backoff ?? "unknown", evidence: evidenceFor(policy, ["backoff"]) },
      prices: pricesAnswer(policy, shipped),
    },
    ...(sdk ? { sdk } : {}),
  };
}

/**
 * What an SDK retries behind the caller's back, as a warning: each retried create may be a
 * second billed job when the first one was accepted but its response was lost.
 */
export function sdkWarning(rule: SdkRetryRule): string {
  const statuses = [...rule.statuses.map(String), ...(rule.serverErrors ? ["5xx"] : [])].join(", ");
  const conn = rule.connectionErrors ? " and on connection errors" : "";
  return `${rule.sdk} retries a create request up to ${rule.maxRetries} times on ${statuses}${conn}, on its own: one call you make can be ${rule.maxRetries + 1} requests, and a retry after a lost response can create a second, billed job.${rule.howToDisable ? ` To turn it off: ${rule.howToDisable}.` : ""}`;
}
