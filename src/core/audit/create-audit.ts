import type { FailcostEvent } from "../event.js";
import { checkEventFields, isEventProblem, readEvent } from "../read-event.js";
import type { Report } from "../report.js";
import { analyze, type AttemptVisitor, type AuditOptions } from "./analyze.js";
import { Collected, type CollectedPart } from "./collect.js";

export type { CollectedPart } from "./collect.js";

/** Where a value came from, for problem messages. */
export interface Origin {
  readonly file: string;
  readonly line: number;
  /** A worker's task, when `line` counts from the start of a byte range (renumbered on merge). */
  readonly task?: number;
}

/** An audit in progress: feed it events in any order, then finish it once. */
export interface Audit {
  /** Checks a parsed JSON value and adds it, or records why it is not an event. Returns false for a problem. */
  addValue(value: unknown, origin: Origin): boolean;
  /**
   * Checks and adds a value whose `ts` the caller has already read as `micros` (the fast line
   * scanner); the other fields are checked as `addValue` checks them. Returns false for a
   * problem. Takes the line's place as arguments, so the hot path allocates nothing for it.
   */
  addRecord(value: Record<string, unknown>, micros: number, file: string, line: number, task?: number): boolean;
  /** Adds an event already checked (from the ledger), at `micros` since the epoch. */
  addEvent(event: FailcostEvent, micros: number): void;
  /** Records a problem found before parsing (a line that is not JSON). */
  addProblem(origin: Origin, why: string): void;
  /** How many problems so far. */
  readonly problemCount: number;
  /** What was collected so far, to merge into another audit (from a worker thread), and the buffers to transfer with it. */
  part(): { part: CollectedPart; transfer: ArrayBuffer[] };
  /** Merges another audit's part in, as if its events had been added here. */
  absorb(part: CollectedPart): void;
  /** Renumbers problems and charges whose lines count from a task's byte range: `offsets` maps task to the lines before it. */
  renumberProblems(offsets: ReadonlyMap<number, number>): void;
  /** Prices everything and builds the report; `visit` sees each job's audited attempts. */
  finish(visit?: AttemptVisitor): Report;
}

/**
 * Starts a cost audit (spec §4–§6). Memory grows with the number of attempts, never with the
 * number of events: each event is folded into its attempt's row as it arrives.
 */
export function createAudit(options: AuditOptions): Audit {
  const collected = new Collected();
  let finished = false;
  return {
    addValue(value, origin) {
      const r = readEvent(value);
      if (isEventProblem(r)) {
        collected.problems.push(origin.task === undefined ? { file: origin.file, line: origin.line, why: r.why } : { file: origin.file, line: origin.line, why: r.why, task: origin.task });
        return false;
      }
      collected.add(r.event, r.at.micros, r.event.type === "charged" ? origin : undefined);
      return true;
    },
    addRecord(value, micros, file, line, task) {
      const why = checkEventFields(value);
      if (why !== undefined) {
        collected.problems.push(task === undefined ? { file, line, why } : { file, line, why, task });
        return false;
      }
      const charge = value.type === "charged";
      collected.add(value as unknown as FailcostEvent, micros, charge ? (task === undefined ? { file, line } : { file, line, task }) : undefined);
      return true;
    },
    addEvent(event, micros) {
      collected.add(event, micros);
    },
    addProblem(origin, why) {
      collected.problems.push(origin.task === undefined ? { file: origin.file, line: origin.line, why } : { file: origin.file, line: origin.line, why, task: origin.task });
    },
    get problemCount() {
      return collected.problems.length;
    },
    part() {
      return collected.part();
    },
    absorb(part) {
      collected.absorb(part);
    },
    renumberProblems(offsets) {
      collected.renumber(offsets);
    },
    finish(visit) {
      if (finished) throw new Error("an audit can be finished only once");
      finished = true;
      return analyze(collected, options, visit);
    },
  };
}
