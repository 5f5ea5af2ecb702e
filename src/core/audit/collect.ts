import { parseDecimal, type Decimal } from "../decimal.js";
import type { ChargedEvent, FailcostEvent } from "../event.js";
import type { Problem } from "../report.js";
import { AttemptTable } from "./attempt-table.js";
import { foldEvent } from "./fold-event.js";
import { absorbTable, tableState, type TableState } from "./merge-tables.js";

/** What one part of an audit collected (a worker thread's share of the input), to merge into another. */
export interface CollectedPart {
  readonly table: TableState;
  readonly charges: readonly (readonly [string, readonly Charge[]])[];
  readonly problems: readonly Problem[];
  readonly events: number;
}

/** One charge from billing data, as the audit keeps it. */
export interface Charge {
  readonly provider: string;
  readonly requestId: string;
  readonly at: number;
  readonly amount: Decimal;
  readonly amountText: string;
  readonly currency: string;
  readonly job: string | undefined;
  readonly attempt: number | undefined;
}

/** What the audit has gathered from the events so far: the attempt table and the charges. */
export class Collected {
  private base = new AttemptTable();
  /** Charges by request id (any provider). */
  readonly charges = new Map<string, Charge[]>();
  readonly problems: Problem[] = [];
  events = 0;

  /** Adds one checked event at time `at` (µs since the epoch). */
  add(event: FailcostEvent, at: number): void {
    this.events++;
    if (event.type === "charged") {
      this.addCharge(event, at);
      return;
    }
    const conflict = foldEvent(this.base, event, at);
    if (conflict !== undefined) this.problems.push({ why: conflict, job: event.job });
  }

  private addCharge(e: ChargedEvent, at: number): void {
    this.keepCharge({
      provider: e.provider,
      requestId: e.request_id,
      at,
      amount: parseDecimal(e.amount)!,
      amountText: e.amount,
      currency: e.currency,
      job: e.job ?? undefined,
      attempt: e.attempt ?? undefined,
    });
  }

  private keepCharge(c: Charge): void {
    let list = this.charges.get(c.requestId);
    if (!list) {
      list = [];
      this.charges.set(c.requestId, list);
    }
    // The same charge read twice (the same bill line in two files) is one charge.
    for (const k of list) if (k.at === c.at && k.provider === c.provider && k.amountText === c.amountText && k.currency === c.currency) return;
    list.push(c);
  }

  /** What this collection holds, to send to another thread and absorb there, and the buffers to transfer. */
  part(): { part: CollectedPart; transfer: ArrayBuffer[] } {
    const { state, transfer } = tableState(this.base);
    return { part: { table: state, charges: [...this.charges.entries()], problems: this.problems, events: this.events }, transfer };
  }

  /** The attempt table. */
  get table(): AttemptTable {
    return this.base;
  }

  /**
   * Merges a part in, exactly as if its events had been added here. The first part into an
   * empty collection is taken over whole rather than copied, so a merge holds one table less.
   */
  absorb(part: CollectedPart): void {
    this.events += part.events;
    this.problems.push(...part.problems);
    if (this.base.size === 0) this.base = AttemptTable.fromState(part.table);
    else for (const why of absorbTable(this.base, part.table)) this.problems.push({ why });
    for (const [, list] of part.charges) for (const c of list) this.keepCharge(c);
  }
}
