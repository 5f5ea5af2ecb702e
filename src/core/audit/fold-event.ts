import { exactDouble } from "../decimal.js";
import { OUTCOMES, type AttemptEvent } from "../event.js";
import { failureCode } from "./attempt-codes.js";
import type { AttemptTable } from "./attempt-table.js";

/**
 * Folds one checked attempt event (spec §2) into the table's facts. Returns a conflict to
 * report (two providers for one attempt), or undefined.
 */
export function foldEvent(t: AttemptTable, e: AttemptEvent, at: number): string | undefined {
  const i = t.row(e.job, e.attempt, e.provider, e.model, at);
  if (at < t.start[i]!) t.start[i] = at;
  const conflict = t.noteProvider(i, e.job, e.attempt, e.provider);
  t.noteModel(i, e.model);
  if (e.request_id !== undefined && e.request_id !== null) t.noteRequestId(i, e.request_id);
  switch (e.type) {
    case "submitted":
      t.noteSubmitted(i, at, e.input_hash ?? undefined, t.unitSet(e.units), e.webhook === true);
      break;
    case "rejected":
      t.noteRejected(i, at, e.http_status ?? 0, failureCode(e.error));
      break;
    case "created":
      t.noteEarliest(t.createdAt, i, at);
      break;
    case "polled":
      t.notePoll(i, at, e.http_status ?? 0);
      break;
    case "completed": {
      const v = e.run_seconds;
      let run = Number.NaN;
      let runText: string | undefined;
      if (typeof v === "number") run = v;
      else if (typeof v === "string") {
        // Keep the text where no double is the same decimal.
        const x = exactDouble(v);
        run = x ?? Number(v);
        if (x === undefined) runText = v;
      }
      t.noteCompleted(i, at, OUTCOMES.indexOf(e.outcome) + 1, run, runText, t.unitSet(e.units), failureCode(e.error));
      break;
    }
    case "client_timeout":
      t.noteRareTime(i, "timeoutAt", at);
      break;
    case "cancel_requested":
      t.noteRareTime(i, "cancelAt", at);
      break;
    case "webhook_delivered":
      t.noteWebhooks(i, 1, 0);
      break;
    case "webhook_failed":
      t.noteWebhooks(i, 0, 1);
      if (e.requeued === true) t.noteRareTime(i, "requeuedAt", at);
      break;
    case "output_rejected":
      t.noteOutputRejected(i, at, failureCode(e.error));
      break;
  }
  return conflict;
}
