import { formatUnits, scaleOf, unitsAt, type Decimal } from "../decimal.js";
import type { Policy } from "../policy.js";
import { createPriceTable, type PriceTable } from "../price-match.js";
import type { Problem, Report } from "../report.js";
import type { AttemptRow } from "./attempt-row.js";
import type { AttemptTable } from "./attempt-table.js";
import type { AttemptView } from "./attempt-view.js";
import type { Charge, Collected } from "./collect.js";
import { classify, failureOf, findDuplicates, givenUpAt, markJob, measurePolls, type Judgement } from "./judge.js";
import { createPriceMemo, priceAttempt, type PricedAttempt, type Scales } from "./price-attempt.js";
import { quantityScale } from "./quantity.js";
import { SdkRetryTally, type SdkRetryRule } from "./sdk-retries.js";
import { Tally } from "./tally.js";

/** What to audit and how. */
export interface AuditOptions {
  /** One policy per provider. */
  readonly policies: readonly Policy[];
  /** Duplicate window in seconds (spec §4; default 600). */
  readonly duplicateWindowSeconds?: number;
  /** Only attempts that started at or after this time (µs since the epoch) count. */
  readonly sinceMicros?: number;
  /** Only attempts that started before this time (µs since the epoch) count. */
  readonly untilMicros?: number;
  readonly provider?: string;
  readonly model?: string;
  /** How many of the most wasteful jobs to list (default 10). */
  readonly topJobs?: number;
  /** The report's currency where no policy names one (default USD). */
  readonly currency?: string;
  /** What each provider's official SDK retries on its own (for the `sdk_retries` key). */
  readonly sdkRetries?: readonly SdkRetryRule[];
}

/** One judged and priced attempt: what the reports are made of. */
export interface AuditedAttempt extends Judgement {
  readonly priced: PricedAttempt | undefined;
  /** Charged money where billing data covers the attempt, else undefined. */
  readonly charged: bigint | undefined;
  readonly charges: readonly Charge[];
  /** The low figure: the charge, or the policy's estimate. */
  readonly billed: bigint;
  readonly high: bigint;
}

/**
 * Called with each job's audited attempts (those that passed the filters), in attempt order,
 * the money scale of their amounts, and the report's currency.
 */
export type AttemptVisitor = (attempts: readonly AuditedAttempt[], scale: number, currency: string) => void;

function maxScale(current: number, d: Decimal | undefined): number {
  return d === undefined ? current : Math.max(current, scaleOf(d));
}

function chooseScales(policies: readonly Policy[], table: AttemptTable, charges: Iterable<Charge[]>): Scales {
  let price = 0;
  let qty = 0;
  for (const p of policies) {
    for (const { price: pr } of p.prices) {
      price = maxScale(maxScale(maxScale(price, pr.per_job), pr.per_second), pr.per_request);
      for (const d of Object.values(pr.per_unit ?? {})) price = maxScale(price, d);
      qty = maxScale(qty, pr.max_run_seconds);
    }
  }
  qty = Math.max(qty, quantityScale(table));
  let charge = 0;
  for (const list of charges) for (const c of list) charge = maxScale(charge, c.amount);
  return { price, qty, money: Math.max(price + qty, charge) };
}

function count(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/**
 * The cost audit of spec §4–§6: judges every attempt, prices it, splits waste into causes and
 * measures the patterns, one job at a time. A pure function of what was collected and the
 * options; `visit` sees every audited attempt (for exports and timelines).
 */
export function analyze(collected: Collected, options: AuditOptions, visit?: AttemptVisitor): Report {
  const { table } = collected;
  const problems: Problem[] = [...collected.problems];
  const policies = new Map<string, Policy>();
  const tables = new Map<string, PriceTable>();
  for (const p of options.policies) {
    policies.set(p.provider, p);
    tables.set(p.provider, createPriceTable(p.prices));
  }
  // The providers attempts name (not every name the table holds: one that lost a conflict, or
  // came with a merged part, names no attempt), so the currency does not depend on read order.
  const onRows = new Set<number>();
  for (let i = 0; i < table.size; i++) onRows.add(table.provider[i]!);
  const usedProviders = [...onRows].map((id) => table.providers[id]!).sort();
  const currency = usedProviders.map((p) => policies.get(p)?.currency).find((c) => c !== undefined) ?? options.currency ?? options.policies[0]?.currency ?? "USD";
  const scales = chooseScales(options.policies, table, collected.charges.values());
  const duplicates = findDuplicates(table, (options.duplicateWindowSeconds ?? 600) * 1_000_000);

  // Charges belong to the attempt with their request id, else to the job and attempt they name.
  const chargesByRow = new Map<number, Charge[]>();
  const claimed = new Set<Charge>();
  if (collected.charges.size > 0) {
    for (let i = 0; i < table.size; i++) {
      const rid = table.requestIds.get(i);
      if (rid === undefined) continue;
      const provider = table.providers[table.provider[i]!]!;
      const others = table.otherRequestIds(i);
      for (const r of others ? [rid, ...others] : [rid]) {
        for (const c of collected.charges.get(r) ?? []) {
          if (c.provider !== provider || claimed.has(c)) continue;
          claimed.add(c);
          const list = chargesByRow.get(i);
          if (list) list.push(c);
          else chargesByRow.set(i, [c]);
        }
      }
    }
  }
  const unmatched: Charge[] = [];
  for (const list of collected.charges.values()) {
    for (const c of list) {
      if (claimed.has(c)) continue;
      const row = c.job !== undefined && c.attempt !== undefined ? findRow(table, c.job, c.attempt, c.provider) : undefined;
      if (row === undefined) unmatched.push(c);
      else chargesByRow.set(row, [...(chargesByRow.get(row) ?? []), c]);
    }
  }

  const missing = { policy: new Map<string, number>(), price: new Map<string, number>(), units: new Map<string, number>(), maxRun: new Map<string, number>(), currency: new Map<string, number>() };
  const inRange = (s: AttemptView): boolean =>
    (options.sinceMicros === undefined || s.start >= options.sinceMicros) &&
    (options.untilMicros === undefined || s.start < options.untilMicros) &&
    (options.provider === undefined || s.provider === options.provider) &&
    (options.model === undefined || s.model === options.model);

  const tally = new Tally(scales.money, options.topJobs ?? 10);
  const memo = createPriceMemo();
  const sdkRetries = new SdkRetryTally(options.sdkRetries ?? [], scales.money);
  // Each attempt's policy and price rule by its provider and model ids, looked up once each.
  const policyOf = table.providers.map((p) => policies.get(p));
  const rules = new Map<number, ReturnType<PriceTable["lookup"]>>();
  const ruleOf = (s: AttemptRow): ReturnType<PriceTable["lookup"]> => {
    const key = s.providerId * table.models.length + s.modelId;
    let rule = rules.get(key);
    if (rule === undefined && !rules.has(key)) {
      rule = tables.get(s.provider)!.lookup(s.model);
      rules.set(key, rule);
    }
    return rule;
  };
  for (let j = 0; j < table.jobs.count; j++) {
    const name = table.jobs.name(j);
    const rows = table.attemptsOfJob(j).map((i) => table.view(i, name));
    if (rows.length > 1) rows.sort((a, b) => a.attempt - b.attempt);
    const judged: Judgement<AttemptRow>[] = [];
    for (const s of rows) {
      const cls = classify(s);
      const polls = measurePolls(s, policyOf[s.providerId]?.min_poll_seconds);
      judged.push({
        state: s,
        cls,
        failure: failureOf(s, cls),
        givenUp: givenUpAt(s) !== Infinity,
        duplicate: duplicates[s.index] === 1,
        used: false,
        rerun: false,
        cause: undefined,
        polls: polls.polls,
        tooClose: polls.tooClose,
        whileWebhook: polls.whileWebhook,
      });
    }
    markJob(judged);
    const audited: AuditedAttempt[] = [];
    for (const jd of judged) {
      const s = jd.state;
      if (!inRange(s)) continue;
      const policy = policyOf[s.providerId];
      let priced: PricedAttempt | undefined;
      if (!policy) count(missing.policy, s.provider);
      else if (policy.currency !== currency) count(missing.currency, s.provider);
      else {
        const rule = ruleOf(s);
        if (!rule) count(missing.price, `${s.provider}\u0000${s.model}`);
        else {
          priced = priceAttempt(policy, rule.price, { cls: jd.cls, failure: jd.failure, runSeconds: undefined, runUnits: s.runUnits(scales.qty), units: s.units, unitsAsked: s.unitsAsked, polls: jd.polls }, scales, memo);
          for (const u of priced.unpricedUnits) count(missing.units, `${s.provider}\u0000${rule.pattern}\u0000${u}`);
          if (priced.missingMaxRun) count(missing.maxRun, `${s.provider}\u0000${rule.pattern}`);
        }
      }
      const charges = chargesByRow.size === 0 ? NO_CHARGES : (chargesByRow.get(s.index) ?? NO_CHARGES);
      let charged: bigint | undefined;
      for (const c of charges) {
        if (c.currency !== currency) {
          const where = c.origin ? { file: c.origin.file, line: c.origin.line } : {};
          problems.push({ ...where, why: `a charge of ${c.amountText} ${c.currency} for request '${c.requestId}' is not in ${currency}; the estimate is used instead`, provider: s.provider, job: s.job });
          continue;
        }
        charged = (charged ?? 0n) + unitsAt(c.amount, scales.money);
      }
      if (s.severalRequestIds) problems.push({ why: `attempt ${s.attempt} of job '${s.job}' has several request ids (${s.requestIds!.join(", ")})`, provider: s.provider, job: s.job });
      if (s.otherModels) problems.push({ why: `attempt ${s.attempt} of job '${s.job}' names several models (${[s.model, ...s.otherModels].sort().join(", ")}); priced as '${s.model}'`, provider: s.provider, job: s.job });
      audited.push(auditedAttempt(jd, priced, charged, charges));
    }
    if (audited.length === 0) continue;
    tally.addJob(audited);
    sdkRetries.addJob(audited);
    visit?.(audited, scales.money, currency);
  }

  for (const [provider, n] of missing.policy) {
    // Policy names are lower case; an event spelling the provider otherwise names no policy.
    const hint = policies.has(provider.toLowerCase()) ? `; providers match exactly, and the policy is for '${provider.toLowerCase()}': write the events' provider as that` : " (add a policy file for it)";
    problems.push({ why: `no billing policy for provider '${provider}': ${attemptsAre(n)} not priced${hint}`, provider });
  }
  for (const [provider, n] of missing.currency) problems.push({ why: `the policy for '${provider}' is in ${policies.get(provider)!.currency}, the report in ${currency}: ${attemptsAre(n)} not priced`, provider });
  for (const [key, n] of missing.price) {
    const [provider, model] = key.split("\u0000");
    const fromUser = policies.get(provider!)?.prices_from_user === true;
    problems.push({
      why: fromUser
        ? `no price for model '${model}' in the '${provider}' policy: prices must come from you (no source gives them); ${attemptsAre(n)} not priced (write a policy file for '${provider}' with prices: see failcost policies show ${provider})`
        : `no price in the '${provider}' policy matches model '${model}': ${attemptsAre(n)} not priced (add a "*" default or a matching glob)`,
      provider,
    });
  }
  for (const [key, n] of missing.units) {
    const [provider, pattern, unit] = key.split("\u0000");
    problems.push({ why: `'${provider}' prices for '${pattern}' have no per_unit price for '${unit}': ${n} attempts delivered it unpriced`, provider });
  }
  for (const [key, n] of missing.maxRun) {
    const [provider, pattern] = key.split("\u0000");
    problems.push({ why: `'${provider}' prices for '${pattern}' have no max_run_seconds: the high figure leaves out run time for ${n} attempts whose outcome never became known`, provider });
  }
  let unmatchedTotal = 0n;
  let otherCurrencies = 0;
  for (const c of unmatched) {
    if (c.currency === currency) unmatchedTotal += unitsAt(c.amount, scales.money);
    else otherCurrencies++;
  }
  if (unmatched.length > 0) {
    const one = unmatched.length === 1;
    const others = otherCurrencies > 0 ? ` and ${otherCurrencies} in other currencies` : "";
    const amount = otherCurrencies === unmatched.length ? (one ? "in another currency" : "all in other currencies") : `${formatUnits(unmatchedTotal, scales.money)} ${currency}${others}`;
    problems.push({
      why: `${unmatched.length} ${one ? "charge" : "charges"} (${amount}) ${one ? "matches" : "match"} no attempt's request id: ${one ? "it is" : "they are"} not in billed`,
    });
  }
  return {
    ...tally.totals(currency, collected.events),
    unmatched_charges: { count: unmatched.length, amount: formatUnits(unmatchedTotal, scales.money) },
    sdk_retries: sdkRetries.toJSON(),
    problems: sortProblems(problems),
  };
}

/** "1 attempt is", "3 attempts are". */
const attemptsAre = (n: number): string => (n === 1 ? "1 attempt is" : `${n} attempts are`);

// Built field by field: object spread of a judgement is many times slower on this hot path.
function auditedAttempt(j: Judgement, priced: PricedAttempt | undefined, charged: bigint | undefined, charges: readonly Charge[]): AuditedAttempt {
  return {
    state: j.state,
    cls: j.cls,
    failure: j.failure,
    givenUp: j.givenUp,
    duplicate: j.duplicate,
    used: j.used,
    rerun: j.rerun,
    cause: j.cause,
    polls: j.polls,
    tooClose: j.tooClose,
    whileWebhook: j.whileWebhook,
    priced,
    charged,
    charges,
    billed: charged ?? priced?.low ?? 0n,
    high: charged ?? priced?.high ?? 0n,
  };
}

function findRow(table: AttemptTable, job: string, attempt: number, provider: string): number | undefined {
  const j = table.jobs.get(job);
  if (j === -1) return undefined;
  for (const i of table.attemptsOfJob(j)) if (table.attempt[i] === attempt && table.providers[table.provider[i]!] === provider) return i;
  return undefined;
}

const NO_CHARGES: readonly Charge[] = [];

function sortProblems(problems: Problem[]): Problem[] {
  const lined = problems.filter((p) => p.file !== undefined);
  const rest = problems.filter((p) => p.file === undefined);
  lined.sort((a, b) => (a.file! < b.file! ? -1 : a.file! > b.file! ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  rest.sort((a, b) => (a.why < b.why ? -1 : a.why > b.why ? 1 : 0));
  return [...lined, ...rest];
}
