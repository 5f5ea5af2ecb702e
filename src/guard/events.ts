import type { AttemptEvent } from "../core/index.js";
import type { AttemptState } from "./state.js";

/** Fields an event type adds to the common ones (spec §2). */
export type EventExtra = Readonly<Record<string, unknown>>;

/** Builds one event about an attempt; `request_id` once known. Never headers, never a prompt. */
export function attemptEvent(att: AttemptState, type: AttemptEvent["type"], ts: string, extra?: EventExtra): AttemptEvent {
  return {
    ts,
    provider: att.provider,
    model: att.model,
    job: att.job.key,
    attempt: att.attempt,
    ...(att.requestId !== undefined ? { request_id: att.requestId } : {}),
    type,
    ...extra,
  } as AttemptEvent;
}

/** Seconds between two times in ms, to the millisecond. */
export function secondsBetween(fromMs: number, toMs: number): number {
  return Math.round(Math.max(0, toMs - fromMs)) / 1000;
}
