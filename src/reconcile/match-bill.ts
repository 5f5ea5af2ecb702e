import { unitsAt, type AttemptVisitor, type AuditedAttempt, type ChargedEvent } from "../core/index.js";
import type { Bill, BillRow } from "./bill.js";
import { classify, type AttemptFacts, type MissingTally, type ReconcileOptions } from "./classify-bill.js";
import type { ReconcileResult } from "./reconcile-result.js";

export type { ReconcileOptions } from "./classify-bill.js";

/** A reconciliation in progress: `visit` sees the audit's attempts, `finish` classifies. */
export interface Reconciler {
  readonly visit: AttemptVisitor;
  finish(): { result: ReconcileResult; charges: ChargedEvent[] };
}

const DAY = 86_400_000_000;
const MAX_MISSING_LISTED = 200;
/** The match key of a bill row without a request id: its job and attempt (never a request id: those have no NUL). */
const attemptKey = (job: string, attempt: number): string => `\u0000${job}\u0000${attempt}`;

function keyOfRow(r: BillRow): string | undefined {
  if (r.requestId !== undefined) return r.requestId;
  return r.job !== undefined && r.attempt !== undefined ? attemptKey(r.job, r.attempt) : undefined;
}


/**
 * The charges the ledger holds for the attempt in the bill's period (in the audit's currency, at
 * its scale `scale`): what an earlier reading of this bill, or of a corrected one, wrote. Charges
 * from other periods (a refund on a later bill) are not this bill's to replace.
 */
function chargedIn(a: AuditedAttempt, scale: number, currency: string, since: number | undefined, until: number | undefined): bigint | undefined {
  let sum: bigint | undefined;
  for (const c of a.charges) {
    if (c.currency !== currency || (since !== undefined && c.at < since) || (until !== undefined && c.at >= until)) continue;
    sum = (sum ?? 0n) + unitsAt(c.amount, scale);
  }
  return sum;
}

function factsOf(a: AuditedAttempt, chargedInPeriod: bigint | undefined): AttemptFacts {
  const s = a.state;
  return {
    requestId: s.requestIds?.[0],
    provider: s.provider,
    model: s.model,
    job: s.job,
    attempt: s.attempt,
    cls: a.cls === "pending" ? "unknown" : a.cls,
    cause: a.used ? undefined : a.cause,
    duplicate: a.duplicate,
    low: a.priced?.low,
    high: a.priced?.high,
    charged: a.charged,
    chargedInPeriod,
    at: s.completedAt ?? s.rejectedAt ?? s.start,
  };
}

/** The UTC days the bill's rows span, or undefined when no row has a time. */
function billPeriod(rows: readonly BillRow[]): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    if (r.micros === undefined) continue;
    lo = Math.min(lo, r.micros);
    hi = Math.max(hi, r.endMicros !== undefined && r.endMicros > r.micros ? r.endMicros - 1 : r.micros);
  }
  if (lo === Infinity) return undefined;
  return [Math.floor(lo / DAY) * DAY, (Math.floor(hi / DAY) + 1) * DAY];
}

/**
 * Reconciles a bill with the audited attempts by request id. Each request id on the bill is
 * `matched` (the bill agrees with the policy's estimate within the tolerance), a `mismatch`, a
 * charge for a `failed` attempt, a charge for a `duplicate`, or `unknown` to the ledger; each
 * attempt of the bill's providers and period that the policy says is charged but the bill
 * leaves out is `missing`. Money is exact throughout.
 */
export function createReconciler(bill: Bill, options: ReconcileOptions): Reconciler {
  // Rows are matched by request id; rows without one, by the job and attempt they name.
  const byId = new Map<string, BillRow[]>();
  const noId: BillRow[] = [];
  let byAttempt = false;
  for (const r of bill.rows) {
    const key = keyOfRow(r);
    if (key !== undefined && r.requestId === undefined) byAttempt = true;
    if (key === undefined) noId.push(r);
    else {
      const list = byId.get(key);
      if (list) list.push(r);
      else byId.set(key, [r]);
    }
  }
  const unreadIds = new Set(bill.badRowIds ?? []);
  const span = billPeriod(bill.rows);
  const since = options.sinceMicros ?? span?.[0];
  const until = options.untilMicros ?? span?.[1];
  const matches = new Map<string, AttemptFacts[]>();
  const missing = new Map<string, MissingTally>();
  let scale = 0;
  let currency: string | undefined;

  const visit: AttemptVisitor = (attempts, s, cur) => {
    scale = s;
    currency = cur;
    for (const a of attempts) {
      const ids = a.state.requestIds ?? [];
      let f: AttemptFacts | undefined;
      const match = (key: string): void => {
        f ??= factsOf(a, a.charged === undefined ? undefined : chargedIn(a, s, cur, since, until));
        const list = matches.get(key);
        if (list) list.push(f);
        else matches.set(key, [f]);
      };
      for (const id of ids) if (byId.has(id)) match(id);
      if (byAttempt) {
        const key = attemptKey(a.state.job, a.state.attempt);
        if (byId.has(key)) match(key);
      }
      if (f) continue;
      // On the bill in a row that could not be read (reported as a bad row): not missing.
      if (ids.some((id) => unreadIds.has(id))) continue;
      // Not on this bill: missing if the bill should cover it and the policy says it is charged.
      if (a.charged !== undefined || !a.priced) continue;
      const start = a.state.start;
      if ((since !== undefined && start < since) || (until !== undefined && start >= until)) continue;
      let t = missing.get(a.state.provider);
      if (!t) missing.set(a.state.provider, (t = { count: 0, low: 0n, high: 0n, items: [], requestIds: [], unknownNotBilled: 0 }));
      if (a.priced.low > 0n) {
        t.count++;
        t.low += a.priced.low;
        t.high += a.priced.high;
        if (t.items.length < MAX_MISSING_LISTED) {
          t.items.push(factsOf(a, undefined));
          t.requestIds.push(ids[0] ?? null);
        }
      } else if (a.priced.high > 0n) t.unknownNotBilled++;
    }
  };

  return {
    visit,
    finish: () => classify(bill, options, { byId, noId, matches, missing, since, until, scale, currency: currency ?? options.currency ?? "USD" }),
  };
}
