import { formatDecimal, formatUnits, type AuditedAttempt } from "../../core/index.js";
import type { FocusRow } from "./focus-columns.js";
import { modelLabel } from "../model-label.js";

/** What every row of one export shares. */
export interface FocusRowContext {
  /** The money scale of the audit's bigint amounts. */
  readonly scale: number;
  readonly currency: string;
  /** The billing account to name; default: the provider's name (failcost does not know the account). */
  readonly account?: string;
}

const SECOND = 1_000_000;

/** A time as FOCUS writes it: UTC, `YYYY-MM-DDTHH:mm:ssZ`, whole seconds. */
export function focusTime(micros: number): string {
  return new Date(Math.floor(micros / SECOND) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The first instant of the UTC month of `micros`, and of the next month. */
function monthOf(micros: number): [number, number] {
  const d = new Date(Math.floor(micros / 1000));
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return [start * 1000, end * 1000];
}

/** The last time anything happened to the attempt. */
function lastSeen(a: AuditedAttempt): number {
  const s = a.state;
  let t = s.start;
  for (const x of [s.submittedAt, s.rejectedAt, s.createdAt, s.completedAt, s.timeoutAt, s.cancelAt, s.outputRejectedAt, s.requeuedAt, s.polls[s.polls.length - 1]]) {
    if (x !== undefined && x > t) t = x;
  }
  return t;
}

/** The charge period: from the attempt's first event (floored to the second) to its last (ceiled), at least one second. */
export function chargePeriod(a: AuditedAttempt): [number, number] {
  const start = Math.floor(a.state.start / SECOND) * SECOND;
  const end = Math.max(Math.ceil(lastSeen(a) / SECOND) * SECOND, start + SECOND);
  return [start, end];
}

function outcomeOf(a: AuditedAttempt): string {
  return a.cls === "pending" ? "unknown" : a.cls;
}

function costSource(a: AuditedAttempt): string {
  if (a.charged !== undefined) return "provider_charge";
  return a.priced ? "policy_estimate" : "unpriced";
}

/**
 * One FOCUS 1.3 row for one audited attempt: its billed cost (a real charge where billing data
 * covers it, else the policy's low estimate), with the failure cause and request id in `Tags`
 * and in `x_` columns. A net negative charge (a refund larger than the charge) is a `Credit`.
 */
export function focusRow(a: AuditedAttempt, ctx: FocusRowContext): FocusRow {
  const s = a.state;
  const money = (v: bigint): string => formatUnits(v, ctx.scale);
  const billed = money(a.billed);
  const [start, end] = chargePeriod(a);
  const [billStart, billEnd] = monthOf(start);
  const credit = a.billed < 0n;
  const requestId = s.requestIds?.[0] ?? null;
  // Models are often named with their provider already (`acme/img-1`): name the SKU once.
  const sku = modelLabel(s.provider, s.model);
  const tags: Record<string, string> = {
    "failcost/job": s.job,
    "failcost/attempt": String(s.attempt),
    "failcost/outcome": outcomeOf(a),
    "failcost/used": String(a.used),
  };
  if (requestId !== null) tags["failcost/request_id"] = requestId;
  if (a.cause !== undefined) tags["failcost/cause"] = a.cause;
  if (a.failure !== undefined) tags["failcost/failure_type"] = a.failure;
  const how = a.used ? "used" : `not used: ${a.cause ?? "unknown"}`;
  return {
    BilledCost: billed,
    BillingAccountId: ctx.account ?? s.provider,
    BillingAccountName: null,
    BillingCurrency: ctx.currency,
    BillingPeriodEnd: focusTime(billEnd),
    BillingPeriodStart: focusTime(billStart),
    ChargeCategory: credit ? "Credit" : "Usage",
    ChargeClass: null,
    ChargeDescription: `${sku} generation attempt ${s.attempt}: ${outcomeOf(a)} (${how})`,
    ChargeFrequency: "Usage-Based",
    ChargePeriodEnd: focusTime(end),
    ChargePeriodStart: focusTime(start),
    ContractedCost: billed,
    EffectiveCost: billed,
    HostProviderName: s.provider,
    InvoiceId: null,
    InvoiceIssuerName: s.provider,
    ListCost: billed,
    PricingCategory: credit ? null : "Standard",
    PricingQuantity: credit ? null : "1",
    PricingUnit: credit ? null : "Requests",
    ProviderName: s.provider,
    PublisherName: s.provider,
    ResourceId: requestId,
    ResourceName: requestId === null ? null : `${s.job} #${s.attempt}`,
    ResourceType: requestId === null ? null : "Generation Job",
    ServiceCategory: "AI and Machine Learning",
    ServiceName: s.provider,
    ServiceProviderName: s.provider,
    ServiceSubcategory: "Generative AI",
    SkuId: sku,
    SkuPriceId: sku,
    Tags: JSON.stringify(tags),
    x_Job: s.job,
    x_Attempt: String(s.attempt),
    x_RequestId: requestId,
    x_Model: s.model,
    x_Outcome: outcomeOf(a),
    x_FailureType: a.failure ?? null,
    x_Cause: a.cause ?? null,
    x_Used: String(a.used),
    x_Duplicate: String(a.duplicate),
    x_CostSource: costSource(a),
    x_BilledCostHigh: money(a.high),
    x_WastedCost: a.used ? "0" : billed,
    x_RunSeconds: s.runSeconds === undefined ? null : formatDecimal(s.runSeconds),
  };
}
