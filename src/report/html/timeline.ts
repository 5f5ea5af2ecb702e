import { formatInstant, type FailcostEvent, type StoredEvent, type Units } from "../../core/index.js";
import type { JobTimeline, TimelineEvent } from "./view.js";

function unitsText(u: Units): string {
  return Object.entries(u)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(" ");
}

/** An event's facts worth showing (spec §2 fields only; unknown extra fields never reach a page). */
export function eventFacts(e: FailcostEvent): [string, string][] {
  const out: [string, string][] = [];
  const add = (k: string, v: string | number | boolean | undefined | null): void => {
    if (v !== undefined && v !== null) out.push([k, String(v)]);
  };
  switch (e.type) {
    case "submitted":
      add("kind", e.kind);
      if (e.units) add("units", unitsText(e.units));
      add("idempotency_key", e.idempotency_key);
      add("input_hash", e.input_hash);
      add("webhook", e.webhook);
      break;
    case "rejected":
      add("http_status", e.http_status);
      add("error", e.error);
      break;
    case "polled":
      add("http_status", e.http_status);
      break;
    case "completed":
      add("outcome", e.outcome);
      add("run_seconds", e.run_seconds);
      if (e.units) add("units", unitsText(e.units));
      add("error", e.error);
      break;
    case "client_timeout":
      add("waited_seconds", e.waited_seconds);
      break;
    case "webhook_delivered":
    case "webhook_failed":
      add("requeued", e.requeued);
      break;
    case "output_rejected":
      add("error", e.error);
      break;
    case "charged":
      add("amount", e.amount);
      add("currency", e.currency);
      break;
    default:
      break;
  }
  return out;
}

/**
 * A job's timeline with its events: the stored events of its attempts, and the charges the
 * audit matched to them (charges come from the audit, which matched them by request id, so a
 * stored `charged` event is not shown twice). Past `limit` events, the middle is left out.
 */
export function withEvents(timeline: JobTimeline, stored: readonly StoredEvent[], limit = 400): JobTimeline {
  const events: TimelineEvent[] = [];
  for (const { event: e, micros } of stored) {
    if (e.type === "charged") continue;
    events.push({ at: formatInstant(micros), micros, type: e.type, attempt: e.attempt, ...(e.request_id !== undefined && e.request_id !== null ? { request_id: e.request_id } : {}), facts: eventFacts(e) });
  }
  for (const a of timeline.attempts) events.push(...a.charges);
  events.sort((a, b) => a.micros - b.micros || (a.attempt ?? 0) - (b.attempt ?? 0));
  if (events.length <= limit) return { ...timeline, events };
  const head = Math.ceil(limit / 2);
  const tail = limit - head;
  return { ...timeline, events: [...events.slice(0, head), ...events.slice(events.length - tail)], omitted: events.length - limit, omittedAt: head };
}
