import type { FailureType } from "./failure-type.js";

/** The event types of spec §2. */
export const EVENT_TYPES = [
  "submitted",
  "rejected",
  "created",
  "polled",
  "completed",
  "client_timeout",
  "cancel_requested",
  "webhook_delivered",
  "webhook_failed",
  "output_rejected",
  "charged",
] as const;

/** One of the spec's event types. */
export type EventType = (typeof EVENT_TYPES)[number];

/** The terminal states a provider reports on `completed`. */
export const OUTCOMES = ["succeeded", "failed", "canceled", "timed_out"] as const;

/** One of the terminal states of `completed`. */
export type Outcome = (typeof OUTCOMES)[number];

/** The kinds of media a job generates. */
export const KINDS = ["image", "video", "audio", "text"] as const;

/** One of the kinds of media. */
export type Kind = (typeof KINDS)[number];

/**
 * Quantities by unit name: `{ image: 4 }`, `{ video_second: 5 }`, `{ megapixel: 1.05 }`.
 * Numbers are read exactly as written; decimal strings are accepted too.
 */
export type Units = Readonly<Record<string, number | string>>;

/** Fields every event about an attempt carries. */
interface AttemptEventBase {
  /** The time as written (ISO 8601 with a zone). */
  readonly ts: string;
  readonly provider: string;
  readonly model: string;
  readonly job: string;
  readonly attempt: number;
  readonly request_id?: string;
}

/** The create request was sent. */
export interface SubmittedEvent extends AttemptEventBase {
  readonly type: "submitted";
  readonly input_hash?: string;
  readonly idempotency_key?: string;
  readonly kind?: Kind;
  readonly units?: Units;
  /** Extension: the create request asked the provider for a webhook. */
  readonly webhook?: boolean;
}

/** The provider refused to create it: no provider job exists. */
export interface RejectedEvent extends AttemptEventBase {
  readonly type: "rejected";
  readonly http_status?: number;
  readonly error?: FailureType;
}

/** The provider accepted it. */
export interface CreatedEvent extends AttemptEventBase {
  readonly type: "created";
}

/** One status request. */
export interface PolledEvent extends AttemptEventBase {
  readonly type: "polled";
  readonly http_status?: number;
}

/** The provider reports a terminal state. */
export interface CompletedEvent extends AttemptEventBase {
  readonly type: "completed";
  readonly outcome: Outcome;
  /** Provider-reported compute seconds (a number, or decimal text). */
  readonly run_seconds?: number | string;
  readonly units?: Units;
  readonly error?: FailureType;
}

/** The caller stopped waiting. */
export interface ClientTimeoutEvent extends AttemptEventBase {
  readonly type: "client_timeout";
  readonly waited_seconds?: number;
}

/** The caller asked the provider to cancel. */
export interface CancelRequestedEvent extends AttemptEventBase {
  readonly type: "cancel_requested";
}

/** The provider's callback arrived, or failed. */
export interface WebhookEvent extends AttemptEventBase {
  readonly type: "webhook_delivered" | "webhook_failed";
  readonly requeued?: boolean;
}

/** The caller threw the output away. */
export interface OutputRejectedEvent extends AttemptEventBase {
  readonly type: "output_rejected";
  readonly error?: FailureType;
}

/** A real charge from the provider's billing data; it belongs to the attempt with `request_id`. */
export interface ChargedEvent {
  readonly type: "charged";
  readonly ts: string;
  readonly provider: string;
  readonly request_id: string;
  /** Exact decimal text; negative for credits and refunds. */
  readonly amount: string;
  readonly currency: string;
  readonly model?: string;
  readonly job?: string;
  readonly attempt?: number;
}

/** Any event of spec §2, as stored and exchanged (plain, serialisable). */
export type FailcostEvent =
  | SubmittedEvent
  | RejectedEvent
  | CreatedEvent
  | PolledEvent
  | CompletedEvent
  | ClientTimeoutEvent
  | CancelRequestedEvent
  | WebhookEvent
  | OutputRejectedEvent
  | ChargedEvent;

/** Any event except `charged`: one that names its job and attempt. */
export type AttemptEvent = Exclude<FailcostEvent, ChargedEvent>;
