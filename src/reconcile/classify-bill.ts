import { formatInstant, formatUnits, pow10, unitsAt, type ChargedEvent } from "../core/index.js";
import { describeOrigin, type Bill, type BillRow } from "./bill.js";
import { RECONCILE_CLASSES, type ClassTotals, type ReconcileClass, type ReconcileItem, type ReconcileProblem, type ReconcileResult } from "./reconcile-result.js";
import { describeTolerance, toleranceScale, withinTolerance, type Tolerance } from "./tolerance.js";

/** How to reconcile. */
export interface ReconcileOptions {
  readonly tolerance: Tolerance;
  /** The span the bill covers (µs); default: the UTC days its rows span. */
  readonly sinceMicros?: number;
  readonly untilMicros?: number;
  /** The provider the bill is from, where its rows do not say. */
  readonly provider?: string;
  /** The ledger's currency when no attempt is seen (default USD). */
  readonly currency?: string;
}

/** What reconciliation keeps of an attempt: its judgement and its policy estimate, at the audit's scale. */
export interface AttemptFacts {
  readonly requestId: string | undefined;
  readonly provider: string;
  readonly model: string;
  readonly job: string;
  readonly attempt: number;
  readonly cls: string;
  readonly cause: string | undefined;
  readonly duplicate: boolean;
  readonly low: bigint | undefined;
  readonly high: bigint | undefined;
  /** What the ledger has charged for the attempt, from any bill or log (shown beside). */
  readonly charged: bigint | undefined;
  /** The part of it dated in the bill's period: what reading this bill again replaces. */
  readonly chargedInPeriod: bigint | undefined;
  /** When a charge with no time of its own is dated: the attempt's completion, else its start. */
  readonly at: number;
}

/** The attempts of one provider the bill left out. */
export interface MissingTally {
  count: number;
  low: bigint;
  high: bigint;
  items: AttemptFacts[];
  requestIds: (string | null)[];
  unknownNotBilled: number;
}

const FAILED = new Set(["failed", "canceled", "timed_out", "rejected"]);
const lower = (s: string | undefined): string | undefined => s?.toLowerCase();
/** ISO 8601 in UTC, with a fraction only where the time has one. */
const iso = (micros: number): string => formatInstant(micros).replace(/\.000Z$/, "Z");

/** What the reconciler gathered from the bill and the audit, for `classify`. */
export interface Gathered {
  readonly byId: Map<string, BillRow[]>;
  readonly noId: readonly BillRow[];
  readonly matches: Map<string, AttemptFacts[]>;
  readonly missing: Map<string, MissingTally>;
  readonly since: number | undefined;
  readonly until: number | undefined;
  readonly scale: number;
  readonly currency: string;
}

class ClassSum {
  count = 0;
  billed = 0n;
  low = 0n;
  high = 0n;
  unexplained = 0n;
  toJSON(m: number): ClassTotals {
    return { count: this.count, billed: formatUnits(this.billed, m), estimate_low: formatUnits(this.low, m), estimate_high: formatUnits(this.high, m), unexplained: formatUnits(this.unexplained, m) };
  }
}

function pickAttempt(candidates: readonly AttemptFacts[], rows: readonly BillRow[], notes: ReconcileProblem[], id: string): AttemptFacts {
  const named = rows.map((r) => lower(r.provider)).find((p) => p !== undefined);
  let pool = named === undefined ? candidates : candidates.filter((c) => c.provider.toLowerCase() === named);
  if (pool.length === 0) pool = candidates;
  if (pool.length > 1) {
    const o = rows[0]!.origin;
    notes.push({ file: o.file, line: o.line, kind: "note", why: `request id '${id}' belongs to ${pool.length} attempts in the ledger; matched to job '${pool[0]!.job}' attempt ${pool[0]!.attempt}` });
  }
  return pool[0]!;
}

/**
 * Classifies every request id of the bill (and the attempts it left out), totals each class
 * exactly, and builds the charged events to write back.
 */
export function classify(bill: Bill, options: ReconcileOptions, g: Gathered): { result: ReconcileResult; charges: ChargedEvent[] } {
  const { currency } = g;
  const m = bill.rows.reduce((x, r) => Math.max(x, r.amount.scale), Math.max(g.scale, toleranceScale(options.tolerance)));
  const up = (v: bigint): bigint => v * pow10(m - g.scale);
  const money = (v: bigint): string => formatUnits(v, m);
  const tol = options.tolerance;
  const sums = Object.fromEntries(RECONCILE_CLASSES.map((c) => [c, new ClassSum()])) as Record<ReconcileClass, ClassSum>;
  const items: ReconcileItem[] = [];
  const problems: ReconcileProblem[] = [];
  const charges: ChargedEvent[] = [];
  const other = new Map<string, bigint>();
  const otherScale = new Map<string, number>();
  let otherCount = 0;
  const otherLines = new Map<string, string[]>();
  let credits = 0;
  let creditAmount = 0n;
  let billTotal = 0n;
  const providersSeen = new Set<string>();

  const sameCurrency = (r: BillRow): boolean => (r.currency ?? currency) === currency;
  for (const r of bill.rows) {
    if (!sameCurrency(r)) {
      otherCount++;
      const c = r.currency!;
      const sc = Math.max(otherScale.get(c) ?? 0, r.amount.scale);
      const prev = other.get(c) ?? 0n;
      other.set(c, prev * pow10(sc - (otherScale.get(c) ?? 0)) + unitsAt(r.amount, sc));
      otherScale.set(c, sc);
      const lines = otherLines.get(c) ?? [];
      if (lines.length < 5) lines.push(describeOrigin(r.origin));
      otherLines.set(c, lines);
      continue;
    }
    const v = unitsAt(r.amount, m);
    billTotal += v;
    if (v < 0n) {
      credits++;
      creditAmount += v;
    }
    if (r.provider !== undefined) providersSeen.add(r.provider.toLowerCase());
  }

  for (const [c, lines] of [...otherLines].sort()) {
    const n = bill.rows.filter((r) => r.currency === c).length;
    problems.push({ file: bill.file, kind: "note", why: `${n} rows are in ${c}, not the ledger's currency (${currency}): not reconciled, not written back (${lines.join(", ")}${n > lines.length ? ", …" : ""})` });
  }
  // `item` is built only for what is listed (everything but matched): a bill is mostly matches.
  const add = (cls: ReconcileClass, item: () => Omit<ReconcileItem, "class" | "agrees" | "difference">, gap: bigint, agrees: boolean, low: bigint, high: bigint, billed: bigint): void => {
    const s = sums[cls];
    s.count++;
    s.billed += billed;
    s.low += low;
    s.high += high;
    if (!agrees) s.unexplained += gap < 0n ? -gap : gap;
    if (cls !== "matched") items.push({ class: cls, ...item(), difference: money(gap), agrees });
  };

  const matchedProviders = new Set<string>();
  let unwritten = 0;
  let alreadyCharged = 0;
  let corrected = 0;
  for (const [key, all] of g.byId) {
    const byAttempt = key.startsWith("\u0000");
    const id = byAttempt ? null : key;
    const rows = all.filter(sameCurrency);
    if (rows.length === 0) continue;
    const net = rows.reduce((t, r) => t + unitsAt(r.amount, m), 0n);
    const where = (): string[] => rows.map((r) => describeOrigin(r.origin));
    const candidates = g.matches.get(key);
    if (!candidates) {
      const r0 = rows[0]!;
      add("unknown", () => ({ request_id: id, provider: r0.provider ?? options.provider ?? null, model: r0.model ?? null, job: r0.job ?? null, attempt: r0.attempt ?? null, outcome: null, cause: null, billed: money(net), estimate_low: null, estimate_high: null, ledger_charge: null, rows: where() }), net, net === 0n, 0n, 0n, net);
      continue;
    }
    const a = pickAttempt(candidates, rows, problems, id ?? `${rows[0]!.job} #${rows[0]!.attempt}`);
    matchedProviders.add(a.provider.toLowerCase());
    const priced = a.low !== undefined && a.high !== undefined;
    const low = priced ? up(a.low) : 0n;
    const high = priced ? up(a.high) : 0n;
    const gap = !priced ? net : net < low ? net - low : net > high ? net - high : 0n;
    const agrees = priced && withinTolerance(gap, gap < 0n ? low : high, tol, m);
    const cls: ReconcileClass = net !== 0n && a.duplicate ? "duplicate" : net !== 0n && FAILED.has(a.cls) ? "failed" : agrees ? "matched" : "mismatch";
    add(cls, () => ({ request_id: id ?? a.requestId ?? null, provider: a.provider, model: a.model, job: a.job, attempt: a.attempt, outcome: a.cls, cause: a.cause ?? null, billed: money(net), estimate_low: priced ? money(low) : null, estimate_high: priced ? money(high) : null, ledger_charge: a.charged === undefined ? null : money(up(a.charged)), rows: where() }), gap, agrees, low, high, net);
    // One charged event per (time, currency) on the bill: the same bill read again adds nothing.
    // A charged event needs a request id: the bill's, else the attempt's.
    const rid = id ?? a.requestId;
    if (rid === undefined) {
      unwritten++;
      continue;
    }
    const byTime = new Map<number, bigint>();
    for (const r of rows) {
      // An undated row is charged when its attempt ended, kept inside the bill's period: a later
      // reading of this bill (or a corrected one) must find it there to replace it.
      const t = r.micros ?? Math.min(Math.max(a.at, g.since ?? -Infinity), (g.until ?? Infinity) - 1);
      byTime.set(t, (byTime.get(t) ?? 0n) + unitsAt(r.amount, m));
    }
    if (a.chargedInPeriod === undefined) {
      for (const [t, amount] of byTime) {
        charges.push({ type: "charged", ts: iso(t), provider: a.provider, model: a.model, job: a.job, attempt: a.attempt, request_id: rid, amount: money(amount), currency });
      }
      continue;
    }
    // The ledger already holds charges for it in this period (this bill read before, or an
    // earlier issue of it): write only what changes them to this bill's, so a corrected bill
    // replaces the figure instead of adding to it. Another period's charges stay as they are.
    const delta = net - up(a.chargedInPeriod);
    if (delta === 0n) {
      alreadyCharged++;
      continue;
    }
    corrected++;
    charges.push({ type: "charged", ts: iso(Math.max(...byTime.keys())), provider: a.provider, model: a.model, job: a.job, attempt: a.attempt, request_id: rid, amount: money(delta), currency });
  }

  for (const r of g.noId) {
    if (!sameCurrency(r)) continue;
    const v = unitsAt(r.amount, m);
    if (v === 0n) continue;
    add("unknown", () => ({ request_id: null, provider: r.provider ?? options.provider ?? null, model: r.model ?? null, job: null, attempt: null, outcome: null, cause: null, billed: money(v), estimate_low: null, estimate_high: null, ledger_charge: null, rows: [describeOrigin(r.origin)] }), v, false, 0n, 0n, v);
  }

  // Which providers the bill covers: as told, else as its rows name them, else as its matches show.
  const scope = options.provider !== undefined ? new Set([options.provider.toLowerCase()]) : providersSeen.size > 0 ? providersSeen : matchedProviders;
  const providers: string[] = [];
  let unknownNotBilled = 0;
  for (const [provider, t] of [...g.missing].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!scope.has(provider.toLowerCase())) continue;
    providers.push(provider);
    unknownNotBilled += t.unknownNotBilled;
    const s = sums.missing;
    s.count += t.count;
    s.low += up(t.low);
    s.high += up(t.high);
    // A charge left off the bill is unexplained whole, as one the ledger never saw: the
    // tolerance is for amounts that disagree, not for charges on one side only.
    s.unexplained += up(t.low);
    t.items.forEach((f, i) => {
      items.push({ class: "missing", request_id: t.requestIds[i] ?? null, provider: f.provider, model: f.model, job: f.job, attempt: f.attempt, outcome: f.cls, cause: f.cause ?? null, billed: "0", estimate_low: money(up(f.low!)), estimate_high: money(up(f.high!)), ledger_charge: null, difference: money(-up(f.low!)), agrees: false, rows: [] });
    });
    if (t.count > t.items.length) {
      problems.push({ kind: "note", why: `${t.count - t.items.length} more attempts of '${provider}' the bill left out are counted but not listed` });
    }
  }
  for (const p of matchedProviders) if (!providers.some((x) => x.toLowerCase() === p)) providers.push(p);
  providers.sort();

  let estLow = 0n;
  let estHigh = 0n;
  let unexplained = 0n;
  for (const c of RECONCILE_CLASSES) {
    estLow += sums[c].low;
    estHigh += sums[c].high;
    unexplained += sums[c].unexplained;
  }
  const badRows = bill.problems.filter((p) => p.kind === "bad_row").length;
  const duplicateRows = bill.problems.filter((p) => p.kind === "duplicate_row").length;
  for (const p of bill.problems) problems.push({ file: p.origin.file, line: p.origin.line, ...(p.column !== undefined ? { column: p.column } : {}), kind: p.kind, why: `${describeOrigin(p.origin)}: ${p.why}` });
  if (bill.rows.some((r) => r.currency === undefined)) problems.push({ kind: "note", why: `the bill has no currency column: its amounts are read as ${currency} (say otherwise with --currency)` });
  if (alreadyCharged > 0) problems.push({ kind: "note", why: `${alreadyCharged} charges were already in the ledger with the same totals: nothing to write for them` });
  if (corrected > 0) problems.push({ kind: "note", why: `${corrected} charges differ from what the ledger already holds for them (an earlier bill): the difference is written, so the ledger's total becomes this bill's` });
  if (unwritten > 0) problems.push({ kind: "note", why: `${unwritten} charges matched by job and attempt to attempts without a request id are not written back (a charged event needs one)` });
  if (g.since === undefined && g.until === undefined && bill.rows.length > 0) problems.push({ kind: "note", why: "the bill has no dates: every attempt of its providers in the ledger is expected on it (give --since and --until for its period)" });
  if (bill.ignoredColumns.length > 0) problems.push({ kind: "note", why: `columns not read: ${bill.ignoredColumns.join(", ")}` });

  const result: ReconcileResult = {
    currency,
    bill: { file: bill.file, format: bill.format, rows: bill.rowCount, columns: { ...bill.columns }, ignored_columns: bill.ignoredColumns },
    period: { start: g.since === undefined ? null : iso(g.since), end: g.until === undefined ? null : iso(g.until) },
    providers,
    tolerance: describeTolerance(tol),
    totals: { bill: money(billTotal), estimate_low: money(estLow), estimate_high: money(estHigh), net_difference: money(billTotal - estLow), unexplained: money(unexplained) },
    classes: Object.fromEntries(RECONCILE_CLASSES.map((c) => [c, sums[c].toJSON(m)])) as Record<ReconcileClass, ClassTotals>,
    other_currency: { count: otherCount, amounts: Object.fromEntries([...other].sort().map(([c, v]) => [c, formatUnits(v, otherScale.get(c)!)])) },
    credits: { count: credits, amount: money(creditAmount) },
    unknown_not_billed: unknownNotBilled,
    items,
    problems,
    bad_rows: badRows,
    duplicate_rows: duplicateRows,
  };
  return { result, charges };
}
