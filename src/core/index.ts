/** failcost's pure core: events, policies, exact money and the cost audit. No I/O. */
export * from "./decimal.js";
export * from "./failure-type.js";
export * from "./event.js";
export * from "./timestamp.js";
export * from "./read-event.js";
export * from "./policy.js";
export * from "./parse-policy.js";
export * from "./price-match.js";
export * from "./cause.js";
export * from "./report.js";
export { createAudit, type Audit, type Origin, type CollectedPart } from "./audit/create-audit.js";
export { renumberPart } from "./audit/collect.js";
export type { AuditOptions, AuditedAttempt, AttemptVisitor } from "./audit/analyze.js";
export type { SdkRetryRule, SdkRetriesReport } from "./audit/sdk-retries.js";
export type { AttemptView } from "./audit/attempt-view.js";
export type { PricedAttempt, AttemptClass } from "./audit/price-attempt.js";
export * from "./ledger.js";
export * from "./attempt-cost.js";
export {
  createPrng,
  simulateOcc,
  startBackoff,
  BACKOFFS,
  parseStrategy,
  createTrialCollector,
  forecast,
  trialSize,
  type Prng,
  type Backoff,
  type Strategy,
  type Forecast,
  type StrategyForecast,
  type TrialSize,
} from "./forecast/index.js";
