import { createAudit, type LedgerQuery, type Policy, type StoredEvent } from "../core/index.js";
import { loadShippedPolicies } from "../providers/shipped-policies.js";
import { budgetPeriod, type BudgetBook } from "./budget-book.js";

/** A ledger that can be read back (the guard seeds its budgets from it). */
export interface ScannableSink {
  scan(query: LedgerQuery, visit: (e: StoredEvent) => void): Promise<void>;
}

/**
 * Counts what the ledger already holds for the current month against the day and month
 * budgets: every attempt that started this month, at its high figure (a budget must not trust
 * the optimistic one), by the UTC day it started.
 */
export async function seedBudgetFromLedger(book: BudgetBook, ledger: ScannableSink, policies: readonly Policy[], nowMs: number): Promise<void> {
  const monthStart = Date.parse(`${budgetPeriod(nowMs).month}-01T00:00:00Z`);
  const audit = createAudit({ policies });
  await ledger.scan({ sinceMicros: monthStart * 1000 }, (e) => audit.addEvent(e.event, e.micros));
  audit.finish((attempts, scale) => {
    for (const a of attempts) {
      const startMs = a.state.start / 1000;
      if (startMs < monthStart || a.high === 0n) continue;
      const { day, month } = budgetPeriod(startMs);
      book.addSpent(day, month, { units: a.high, scale });
    }
  });
}

/** The policies shipped with failcost (`src/providers/<name>/policy.yaml`). */
export function bundledPolicies(): Promise<Policy[]> {
  return loadShippedPolicies();
}
