import { parseDecimal, type Decimal } from "../decimal.js";
import type { ChargedEvent, FailcostEvent } from "../event.js";
import type { Problem } from "../report.js";
import { AttemptTable } from "./attempt-table.js";

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
  readonly table = new AttemptTable();
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
    const conflict = this.table.add(event, at);
    if (conflict !== undefined) this.problems.push({ why: conflict, job: event.job });
  }

  private addCharge(e: ChargedEvent, at: number): void {
    let list = this.charges.get(e.request_id);
    if (!list) {
      list = [];
      this.charges.set(e.request_id, list);
    }
    // The same charge read twice (the same bill line in two files) is one charge.
    for (const c of list) if (c.at === at && c.provider === e.provider && c.amountText === e.amount && c.currency === e.currency) return;
    list.push({
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
}
