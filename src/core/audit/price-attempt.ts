import { pow10, unitsAt, type Decimal } from "../decimal.js";
import type { Units } from "../event.js";
import type { FailureType } from "../failure-type.js";
import type { BillAnswer, Component, Policy, Price } from "../policy.js";
import { readQuantity } from "./quantity.js";

/** The fixed scales the audit computes in, chosen so every product is exact. */
export interface Scales {
  /** Decimal places of the most precise price. */
  readonly price: number;
  /** Decimal places of the most precise quantity (run seconds, units). */
  readonly qty: number;
  /** Decimal places of all money: at least price + qty, and enough for every charge. */
  readonly money: number;
}

/** How an attempt ended, for billing: rejected, a provider outcome, or never known. */
export type AttemptClass = "rejected" | "succeeded" | "failed" | "canceled" | "timed_out" | "pending";

/** What one attempt is estimated to cost under its policy, in units of `10^-scales.money`. */
export interface PricedAttempt {
  readonly low: bigint;
  readonly high: bigint;
  /** The low figure split by component, for the patterns. */
  readonly perJob: bigint;
  readonly perSecond: bigint;
  readonly perUnit: bigint;
  readonly perRequest: bigint;
  /** What one poll costs where polls are billed (0 otherwise). */
  readonly pollPrice: bigint;
  readonly pollsLow: bigint;
  /** Answers that were `unknown` here, with what each adds to the high figure. */
  readonly unknowns: readonly { readonly answer: string; readonly extra: bigint }[];
  /** Units delivered that the price does not name. */
  readonly unpricedUnits: readonly string[];
  /** The high figure needed `max_run_seconds` and the price has none. */
  readonly missingMaxRun: boolean;
}

/** What the pricing needs to know about one attempt. */
export interface AttemptFacts {
  readonly cls: AttemptClass;
  readonly failure: FailureType | undefined;
  readonly runSeconds: Decimal | undefined;
  /** The run seconds already at the quantity scale (the audit's fast path); wins over `runSeconds`. */
  readonly runUnits?: bigint | undefined;
  readonly units: Units | undefined;
  readonly unitsAsked: Units | undefined;
  readonly polls: number;
}

const ALL_BUT_UNIT: readonly Component[] = ["per_job", "per_second", "per_request"];

function answerFor(policy: Policy, facts: AttemptFacts): { answer: BillAnswer; path: string } {
  if (facts.cls === "rejected") {
    const type = facts.failure ?? "other";
    const byType = policy.bills.rejected;
    const direct = byType[type];
    if (direct !== undefined) return { answer: direct, path: `bills.rejected.${type}` };
    const star = byType["*"];
    if (star !== undefined) return { answer: star, path: `bills.rejected.*` };
    return { answer: "unknown", path: `bills.rejected.${type}` };
  }
  if (facts.cls === "pending") return { answer: policy.bills.succeeded, path: "bills.succeeded" };
  const byType = facts.cls === "failed" && facts.failure !== undefined ? policy.bills.failed_by_type?.[facts.failure] : undefined;
  if (byType !== undefined) return { answer: byType, path: `bills.failed.${facts.failure}` };
  return { answer: policy.bills[facts.cls], path: `bills.${facts.cls}` };
}

interface Parts {
  perJob: bigint;
  perSecond: bigint;
  perUnit: bigint;
  perRequest: bigint;
}

/** A price's components in money units, computed once per price. */
interface PriceUnits {
  readonly perJob: bigint;
  readonly perRequest: bigint;
  /** At the price scale; times a quantity at the quantity scale gives money units. */
  readonly perSecond: bigint | undefined;
  readonly perUnit: ReadonlyMap<string, bigint>;
  readonly maxRun: bigint | undefined;
}

/** Per-audit memory of prices and unit sets already turned into money units. */
export interface PriceMemo {
  readonly prices: Map<Price, PriceUnits>;
  readonly quantities: Map<Units, readonly (readonly [string, bigint])[]>;
}

/** An empty memo for one audit (its scales never change). */
export function createPriceMemo(): PriceMemo {
  return { prices: new Map(), quantities: new Map() };
}

function priceUnits(price: Price, scales: Scales, memo: PriceMemo): PriceUnits {
  let u = memo.prices.get(price);
  if (!u) {
    const flat = pow10(scales.money - scales.price);
    u = {
      perJob: price.per_job ? unitsAt(price.per_job, scales.price) * flat : 0n,
      perRequest: price.per_request ? unitsAt(price.per_request, scales.price) * flat : 0n,
      perSecond: price.per_second ? unitsAt(price.per_second, scales.price) : undefined,
      perUnit: new Map(Object.entries(price.per_unit ?? {}).map(([k, d]) => [k, unitsAt(d, scales.price)])),
      maxRun: price.max_run_seconds ? unitsAt(price.max_run_seconds, scales.qty) : undefined,
    };
    memo.prices.set(price, u);
  }
  return u;
}

/** A unit set's quantities at the quantity scale, computed once per (interned) unit set. */
function quantities(units: Units, scale: number, memo: PriceMemo): readonly (readonly [string, bigint])[] {
  let q = memo.quantities.get(units);
  if (!q) {
    q = Object.entries(units).flatMap(([unit, v]) => {
      const d = readQuantity(v);
      return d && d.units !== 0n ? [[unit, unitsAt(d, scale)] as const] : [];
    });
    memo.quantities.set(units, q);
  }
  return q;
}

/** Prices a list of components for one attempt; `run` is at the quantity scale. */
function sumComponents(components: readonly Component[], price: Price, run: bigint | undefined, units: Units | undefined, scales: Scales, memo: PriceMemo, unpriced: string[]): Parts {
  const pu = priceUnits(price, scales, memo);
  const stretch = pow10(scales.money - scales.price - scales.qty);
  const parts: Parts = { perJob: 0n, perSecond: 0n, perUnit: 0n, perRequest: 0n };
  for (const c of components) {
    switch (c) {
      case "per_job":
        parts.perJob += pu.perJob;
        break;
      case "per_request":
        parts.perRequest += pu.perRequest;
        break;
      case "per_second":
        if (pu.perSecond !== undefined && run !== undefined) parts.perSecond += pu.perSecond * run * stretch;
        break;
      case "per_unit":
        if (units) {
          for (const [unit, qty] of quantities(units, scales.qty, memo)) {
            const p = pu.perUnit.get(unit);
            if (p === undefined) {
              // A model priced by time delivers images too; only a per-unit price list that lacks the unit is a gap.
              if (price.per_unit !== undefined && !unpriced.includes(unit)) unpriced.push(unit);
              continue;
            }
            parts.perUnit += p * qty * stretch;
          }
        }
        break;
    }
  }
  return parts;
}

function total(p: Parts): bigint {
  return p.perJob + p.perSecond + p.perUnit + p.perRequest;
}

/**
 * Prices one attempt under its provider's policy (spec §3): the low figure bills only what the
 * policy says is billed; `unknown` answers add to the high figure only, every component but
 * `per_unit`; an attempt whose outcome never became known is high: billed as `succeeded` with
 * `max_run_seconds` and the units it asked for.
 */
export function priceAttempt(policy: Policy, price: Price, facts: AttemptFacts, scales: Scales, memo: PriceMemo = createPriceMemo()): PricedAttempt {
  const unpriced: string[] = [];
  const unknowns: { answer: string; extra: bigint }[] = [];
  const { answer, path } = answerFor(policy, facts);
  const run = facts.cls === "rejected" ? undefined : facts.runUnits !== undefined ? facts.runUnits : facts.runSeconds === undefined ? undefined : unitsAt(facts.runSeconds, scales.qty);
  let low: Parts = { perJob: 0n, perSecond: 0n, perUnit: 0n, perRequest: 0n };
  let high: bigint;
  let missingMaxRun = false;
  if (facts.cls === "pending") {
    const comps = answer === "unknown" ? ALL_BUT_UNIT : answer;
    if (price.per_second && !price.max_run_seconds && comps.includes("per_second")) missingMaxRun = true;
    high = total(sumComponents(comps, price, priceUnits(price, scales, memo).maxRun, facts.unitsAsked, scales, memo, unpriced));
    if (high > 0n) unknowns.push({ answer: "outcome", extra: high });
  } else if (answer === "unknown") {
    high = total(sumComponents(ALL_BUT_UNIT, price, run, undefined, scales, memo, unpriced));
    if (high > 0n) unknowns.push({ answer: path, extra: high });
  } else {
    low = sumComponents(answer, price, run, facts.cls === "succeeded" ? facts.units : undefined, scales, memo, unpriced);
    high = total(low);
  }
  const pollPrice = policy.polls !== false ? priceUnits(price, scales, memo).perRequest : 0n;
  const pollsCost = pollPrice * BigInt(facts.polls);
  const pollsLow = policy.polls === true ? pollsCost : 0n;
  if (policy.polls === "unknown" && pollsCost > 0n) unknowns.push({ answer: "polls", extra: pollsCost });
  return {
    low: total(low) + pollsLow,
    high: high + pollsCost,
    ...low,
    pollPrice: policy.polls === true ? pollPrice : 0n,
    pollsLow,
    unknowns,
    unpricedUnits: unpriced,
    missingMaxRun,
  };
}
