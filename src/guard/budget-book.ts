import { addDecimal, compareDecimal, formatDecimal, subDecimal, ZERO, type Decimal } from "../core/index.js";

/** Spending limits in the policies' currency; each is optional. */
export interface BudgetLimits {
  readonly perJob?: Decimal;
  readonly perDay?: Decimal;
  readonly perMonth?: Decimal;
}

/** The scopes a budget applies to. */
export type BudgetScope = "job" | "day" | "month";

/** Where one reservation is held: the job's key, the UTC day and month of its attempt. */
export interface BudgetKeys {
  readonly job: string;
  readonly day: string;
  readonly month: string;
}

/** Money held for one attempt until it is settled. */
export interface Reservation {
  readonly keys: BudgetKeys;
  readonly amount: Decimal;
  settled: boolean;
}

/** Why a reservation was refused: the scope, its limit and what is already spent or held. */
export interface BudgetRefusal {
  readonly scope: BudgetScope;
  readonly limit: Decimal;
  readonly used: Decimal;
  readonly asked: Decimal;
}

interface Tally {
  spent: Decimal;
  held: Decimal;
}

/**
 * Budget arithmetic, exact and synchronous: `reserve` checks every scope and holds the
 * worst case in one step (no await between check and hold), so concurrent calls can never
 * spend past a limit; `settle` swaps the held worst case for what the attempt cost.
 */
export class BudgetBook {
  private readonly tallies = new Map<string, Tally>();

  constructor(readonly limits: BudgetLimits) {}

  private tally(key: string): Tally {
    let t = this.tallies.get(key);
    if (!t) this.tallies.set(key, (t = { spent: ZERO, held: ZERO }));
    return t;
  }

  private scopes(keys: BudgetKeys): [BudgetScope, string, Decimal | undefined][] {
    return [
      ["job", `job:${keys.job}`, this.limits.perJob],
      ["day", `day:${keys.day}`, this.limits.perDay],
      ["month", `month:${keys.month}`, this.limits.perMonth],
    ];
  }

  /** Holds `amount` in every scope, or refuses naming the first scope it would overspend. */
  reserve(keys: BudgetKeys, amount: Decimal): Reservation | BudgetRefusal {
    for (const [scope, key, limit] of this.scopes(keys)) {
      if (limit === undefined) continue;
      const t = this.tally(key);
      const used = addDecimal(t.spent, t.held);
      if (compareDecimal(addDecimal(used, amount), limit) > 0) return { scope, limit, used, asked: amount };
    }
    for (const [, key] of this.scopes(keys)) {
      const t = this.tally(key);
      t.held = addDecimal(t.held, amount);
    }
    return { keys, amount, settled: false };
  }

  /** Replaces a reservation's held amount by what the attempt cost (once). */
  settle(r: Reservation, cost: Decimal): void {
    if (r.settled) return;
    r.settled = true;
    for (const [, key] of this.scopes(r.keys)) {
      const t = this.tally(key);
      t.held = subDecimal(t.held, r.amount);
      t.spent = addDecimal(t.spent, cost);
    }
  }

  /** Counts money spent before this process started (from the ledger) against a day and month. */
  addSpent(day: string, month: string, amount: Decimal): void {
    for (const key of [`day:${day}`, `month:${month}`]) {
      const t = this.tally(key);
      t.spent = addDecimal(t.spent, amount);
    }
  }

  /** Forgets a job's tally once it has nothing held (its key may be reused later). */
  forgetJob(job: string): void {
    const t = this.tallies.get(`job:${job}`);
    if (t && t.held.units === 0n) this.tallies.delete(`job:${job}`);
  }

  /** Spent and held money of one scope key (`day:2026-11-01`), as decimal text. */
  usage(key: string): { spent: string; held: string } {
    const t = this.tallies.get(key) ?? { spent: ZERO, held: ZERO };
    return { spent: formatDecimal(t.spent), held: formatDecimal(t.held) };
  }
}

/** True when a reservation was refused. */
export function isBudgetRefusal(r: Reservation | BudgetRefusal): r is BudgetRefusal {
  return (r as BudgetRefusal).scope !== undefined;
}

/** The UTC day and month of a time, as budget keys (`2026-11-01`, `2026-11`). */
export function budgetPeriod(ms: number): { day: string; month: string } {
  const iso = new Date(ms).toISOString();
  return { day: iso.slice(0, 10), month: iso.slice(0, 7) };
}
