import { priceAttempt, type AttemptClass, type Scales } from "./audit/price-attempt.js";
import { readQuantity } from "./audit/quantity.js";
import { compareDecimal, scaleOf, type Decimal } from "./decimal.js";
import type { Units } from "./event.js";
import { FAILURE_TYPES, type FailureType } from "./failure-type.js";
import type { Policy, Price } from "./policy.js";
import { createPriceTable, type PriceTable } from "./price-match.js";

/** What is known about one attempt when pricing it on its own (the guard's settle step). */
export interface AttemptCostFacts {
  readonly cls: AttemptClass;
  readonly failure?: FailureType;
  readonly runSeconds?: Decimal;
  readonly units?: Units;
  readonly unitsAsked?: Units;
  readonly polls?: number;
}

/** An attempt's cost under its policy: the low and high figures of spec §3, exact. */
export interface AttemptCost {
  readonly low: Decimal;
  readonly high: Decimal;
}

/** What bounds the worst case of an attempt not yet sent. */
export interface WorstCaseInput {
  /** The units the create request asks for; a priced unit it does not name counts as 1. */
  readonly unitsAsked?: Units;
  /** Run seconds to assume where the price has no `max_run_seconds`. */
  readonly fallbackRunSeconds: Decimal;
  /** The most status requests the attempt may make (they count where polls are billed). */
  readonly maxPolls: number;
}

function priceScale(price: Price): number {
  let s = 0;
  for (const d of [price.per_job, price.per_second, price.per_request, ...Object.values(price.per_unit ?? {})]) {
    if (d !== undefined) s = Math.max(s, scaleOf(d));
  }
  return s;
}

function quantityScale(facts: AttemptCostFacts): number {
  let s = facts.runSeconds ? scaleOf(facts.runSeconds) : 0;
  for (const units of [facts.units, facts.unitsAsked]) {
    for (const q of Object.values(units ?? {})) {
      const d = readQuantity(q);
      if (d) s = Math.max(s, scaleOf(d));
    }
  }
  return s;
}

const TABLES = new WeakMap<Policy, PriceTable>();

function priceFor(policy: Policy, model: string): Price | undefined {
  let table = TABLES.get(policy);
  if (!table) TABLES.set(policy, (table = createPriceTable(policy.prices)));
  return table.lookup(model)?.price;
}

function costWith(policy: Policy, price: Price, facts: AttemptCostFacts): AttemptCost {
  const p = priceScale(price);
  const q = Math.max(quantityScale(facts), price.max_run_seconds ? scaleOf(price.max_run_seconds) : 0);
  const scales: Scales = { price: p, qty: q, money: p + q };
  const priced = priceAttempt(
    policy,
    price,
    {
      cls: facts.cls,
      failure: facts.failure,
      runSeconds: facts.runSeconds,
      units: facts.units,
      unitsAsked: facts.unitsAsked,
      polls: facts.polls ?? 0,
    },
    scales,
  );
  return { low: { units: priced.low, scale: scales.money }, high: { units: priced.high, scale: scales.money } };
}

/**
 * Prices one attempt on its own under its provider's policy (spec §3), or says why it cannot:
 * no price matches the model.
 */
export function attemptCost(policy: Policy, model: string, facts: AttemptCostFacts): AttemptCost | string {
  const price = priceFor(policy, model);
  if (!price) return `no price in the ${policy.provider} policy matches model '${model}'`;
  return costWith(policy, price, facts);
}

/**
 * The most an attempt not yet sent can cost under the policy: the highest high figure over every
 * way it can end (each outcome run for `max_run_seconds`, or the fallback; succeeded with the units
 * asked; rejected for any failure type), polls included where they are billed. A budget reserves
 * this before sending, so concurrent attempts can never spend past it.
 */
export function worstCaseCost(policy: Policy, model: string, input: WorstCaseInput): Decimal | string {
  const price = priceFor(policy, model);
  if (!price) return `no price in the ${policy.provider} policy matches model '${model}'`;
  const run = price.max_run_seconds ?? input.fallbackRunSeconds;
  const asked: Record<string, number | string> = {};
  for (const unit of Object.keys(price.per_unit ?? {})) asked[unit] = 1;
  Object.assign(asked, input.unitsAsked ?? {});
  const cases: AttemptCostFacts[] = [
    { cls: "succeeded", runSeconds: run, units: asked, unitsAsked: asked, polls: input.maxPolls },
    { cls: "failed", runSeconds: run, polls: input.maxPolls },
    { cls: "canceled", runSeconds: run, polls: input.maxPolls },
    { cls: "timed_out", runSeconds: run, polls: input.maxPolls },
    { cls: "pending", unitsAsked: asked, polls: input.maxPolls },
    ...FAILURE_TYPES.map((failure): AttemptCostFacts => ({ cls: "rejected", failure })),
  ];
  let worst: Decimal | undefined;
  for (const facts of cases) {
    const { high } = costWith(policy, price, facts);
    if (worst === undefined || compareDecimal(high, worst) > 0) worst = high;
  }
  return worst!;
}
