/** The guard: what an app adds so every generation call is recorded and cost-safe. */
export { createGuard, type Guard, type WaitResult } from "./create-guard.js";
export type { GuardOptions, BudgetOptions, GuardNotice } from "./options.js";
export type { JobContext, JobOptions } from "./job-runner.js";
export type { WebhookHandler, WebhookOptions } from "./webhook-handler.js";
export { createLedgerWebhookHandler, type LedgerWebhookOptions, type KnownAttempt } from "./ledger-webhook-handler.js";
export type { GuardStats } from "./stats.js";
export type { Clock } from "./clock.js";
export type { EventSink } from "./recorder.js";
export type { RetryPolicy } from "./retry-policy.js";
export type { RetryBudgetOptions } from "./retry-budget.js";
export { signWebhook, verifyWebhook } from "./standard-webhooks.js";
