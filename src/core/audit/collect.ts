import { parseDecimal, type Decimal } from "../decimal.js";
import type { ChargedEvent, FailcostEvent } from "../event.js";
import type { Problem } from "../report.js";
import { AttemptTable } from "./attempt-table.js";
import { foldEvent } from "./fold-event.js";
import { absorbTable, tableFromState, tableState, type TableState } from "./merge-tables.js";

/** What one part of an audit collected (a worker thread's share of the input), to merge into another. */
export interface CollectedPart {
  readonly table: TableState;
  readonly charges: readonly (readonly [string, readonly Charge[]])[];
  readonly problems: readonly Problem[];
  readonly events: number;
}

/** Where a charge was read: a file and line (the line counts from a byte range while `task` is set). */
export interface ChargeOrigin {
  readonly file: string;
  readonly line: number;
  readonly task?: number;
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
  /** Its line, when it was read from a file (not from the ledger). */
  readonly origin?: ChargeOrigin;
}

/**
 * Which of two origins comes first: by file, then by task (a file's byte ranges are numbered in
 * order, and a line counts from its range's start while it has one), then by line; a missing one
 * last.
 */
function earlierOrigin(a: ChargeOrigin | undefined, b: ChargeOrigin | undefined): boolean {
  if (a === undefined) return false;
  if (b === undefined) return true;
  if (a.file !== b.file) return a.file < b.file;
  const ta = a.task ?? -1;
  const tb = b.task ?? -1;
  return ta !== tb ? ta < tb : a.line < b.line;
}

/** A charge's origin with its line counted from the start of its file (`offsets`: lines before each task). */
function renumberCharge(c: Charge, offsets: ReadonlyMap<number, number>): Charge {
  if (c.origin?.task === undefined) return c;
  const { file, line, task } = c.origin;
  return { ...c, origin: { file, line: line + (offsets.get(task) ?? 0) } };
}

/** A problem with its line counted from its file's start (`offsets`: lines before each task). */
function renumberProblem(p: Problem, offsets: ReadonlyMap<number, number>): Problem {
  if (p.task === undefined) return p;
  const { task, ...rest } = p;
  return { ...rest, line: (rest.line ?? 0) + (offsets.get(task) ?? 0) };
}

/** A part whose problems and charges count lines from their files' starts instead of from their tasks' byte ranges. */
export function renumberPart(part: CollectedPart, offsets: ReadonlyMap<number, number>): CollectedPart {
  const problems = part.problems.map((p) => renumberProblem(p, offsets));
  const charges = part.charges.map(([rid, list]) => [rid, list.map((c) => renumberCharge(c, offsets))] as const);
  return { ...part, problems, charges };
}

/** What the audit has gathered from the events so far: the attempt table and the charges. */
export class Collected {
  private base = new AttemptTable();
  /** Charges by request id (any provider). */
  readonly charges = new Map<string, Charge[]>();
  readonly problems: Problem[] = [];
  events = 0;

  /** Adds one checked event at time `at` (µs since the epoch); `origin` says where a charge was read. */
  add(event: FailcostEvent, at: number, origin?: ChargeOrigin): void {
    this.events++;
    if (event.type === "charged") {
      this.addCharge(event, at, origin);
      return;
    }
    const conflict = foldEvent(this.base, event, at);
    if (conflict !== undefined) this.problems.push({ why: conflict, job: event.job });
  }

  private addCharge(e: ChargedEvent, at: number, origin: ChargeOrigin | undefined): void {
    this.keepCharge({
      provider: e.provider,
      requestId: e.request_id,
      at,
      amount: parseDecimal(e.amount)!,
      amountText: e.amount,
      currency: e.currency,
      job: e.job ?? undefined,
      attempt: e.attempt ?? undefined,
      ...(origin ? { origin } : {}),
    });
  }

  private keepCharge(c: Charge): void {
    let list = this.charges.get(c.requestId);
    if (!list) {
      list = [];
      this.charges.set(c.requestId, list);
    }
    // The same charge read twice (the same bill line in two files) is one charge, named by its
    // first place (file, then line), whatever order the reads came in.
    for (let k = 0; k < list.length; k++) {
      const o = list[k]!;
      if (o.at !== c.at || o.provider !== c.provider || o.amountText !== c.amountText || o.currency !== c.currency) continue;
      if (earlierOrigin(c.origin, o.origin)) list[k] = c;
      return;
    }
    list.push(c);
  }

  /** Counts the lines of problems and charges read in tasks' byte ranges from their files' starts. */
  renumber(offsets: ReadonlyMap<number, number>): void {
    this.problems.forEach((p, k) => (this.problems[k] = renumberProblem(p, offsets)));
    for (const list of this.charges.values()) list.forEach((c, k) => (list[k] = renumberCharge(c, offsets)));
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
    if (this.base.size === 0) this.base = tableFromState(part.table);
    else this.problems.push(...absorbTable(this.base, part.table));
    for (const [, list] of part.charges) for (const c of list) this.keepCharge(c);
  }
}
