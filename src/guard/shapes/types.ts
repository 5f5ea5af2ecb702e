import type { Kind, Units } from "../../core/index.js";

/** What a request to a provider is, for the guard. */
export type Operation = "create" | "poll" | "result" | "cancel";

/** A request the shape recognised. */
export interface ShapeMatch {
  readonly op: Operation;
  /** create: the model named by the path (Replicate's `/models/o/n/predictions`, fal's app path). */
  readonly model?: string;
  /** poll, result, cancel: the provider's id of the job, from the path. */
  readonly requestId?: string;
  /** create: the response is the final result (no job to poll). */
  readonly sync?: boolean;
}

/** A follow-up request the guard makes itself (tracking an orphan, cancelling it). */
export interface FollowUp {
  readonly url: string;
  readonly method: string;
}

/** What the guard keeps from a create to reach the job later (never recorded). */
export interface JobLinks {
  readonly requestId: string;
  readonly model: string;
  /** The base URL the create went to. */
  readonly base: string;
  /** URLs the provider returned for the job (`urls.get`, `status_url`, …), if any. */
  readonly urls: Readonly<Record<string, string>>;
}

/**
 * The HTTP side of one provider's API: which request creates, polls, cancels or fetches the
 * result of a job, where the request id is, and what the create asks for. Bodies are turned into
 * outcomes by the provider's `ProviderFormat`, not here.
 */
export interface ProviderShape {
  /** The events' `provider`, and the name of its ProviderFormat. */
  readonly provider: string;
  /** The production base URLs this shape answers for. */
  readonly baseUrls: readonly string[];
  /** Classifies a request by method and path (relative to the base, starting with `/`). */
  match(method: string, path: string): ShapeMatch | undefined;
  /** The model of a create request. */
  modelOf(match: ShapeMatch, body: unknown): string;
  /** The part of the create body that is the model's input (what `input_hash` covers). */
  inputOf(body: unknown): unknown;
  /** The units a create asks for (`{ image: 4 }`), where the body says. */
  unitsAsked(body: unknown, kind: Kind | undefined): Units | undefined;
  /** The kind of media a create makes, where the path says. */
  kindOf(match: ShapeMatch, path: string): Kind | undefined;
  /** True when the create asks the provider for a webhook. */
  webhookAsked(body: unknown, query: URLSearchParams): boolean;
  /** The provider's id of the job a create made, from the response body or headers. */
  requestIdOf(body: unknown, headers: Readonly<Record<string, string>>): string | undefined;
  /** URLs for the job found in the create response (kept in memory for tracking). */
  linksOf(body: unknown): Readonly<Record<string, string>>;
  /** The status request for a job. */
  pollRequest(links: JobLinks): FollowUp | undefined;
  /** The cancel request, where the provider offers cancel. */
  cancelRequest(links: JobLinks): FollowUp | undefined;
  /** The result request where the outcome is known only from the result (fal). */
  resultRequest?(links: JobLinks): FollowUp | undefined;
  /** The request header for an idempotency key, where the provider documents one. */
  readonly idempotencyHeader?: string;
  /** Where the outcome of a job is read: its status (most), or its result (fal's queue). */
  readonly outcomeFrom: "poll" | "result";
}
