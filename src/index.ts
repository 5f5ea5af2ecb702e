/**
 * failcost: what failed, retried, timed-out and duplicated AI generation jobs cost, and a guard
 * that stops paying for them. The root exports the guard and the audit engine; everything else
 * (the core's parts, adapters) sits behind subpath exports.
 */
export { createGuard, signWebhook, verifyWebhook } from "./guard/index.js";
export type { Guard, GuardOptions, BudgetOptions, GuardNotice, GuardStats, JobContext, JobOptions, WebhookHandler, WebhookOptions, Clock, EventSink, WaitResult } from "./guard/index.js";
export { createAudit, parsePolicy, readEvent } from "./core/index.js";
export type { Audit, AuditOptions, FailcostEvent, Ledger, Policy, Report } from "./core/index.js";
export { isGuardRefusal, isBudgetExceededError, isRetryRefusedError, isDuplicateInputError, isJobTimeoutError } from "./errors.js";
