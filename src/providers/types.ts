import type { FailureType, Kind, Outcome, Units } from "../core/index.js";

/**
 * What one provider job object says (a Replicate prediction, a fal queue status or webhook body,
 * an OpenAI video, a Runway task, a BFL result, a Luma generation), in the spec's terms.
 * Provider adapters read their objects into this; the importer and the guard turn it into events.
 */
export interface JobObjectFacts {
  readonly requestId?: string;
  readonly model?: string;
  /** The terminal outcome, or undefined while the job is queued or running. */
  readonly outcome?: Outcome;
  /** True while queued or running (not terminal). */
  readonly running?: boolean;
  /** Provider-reported compute seconds, exact decimal text. */
  readonly runSeconds?: string;
  /**
   * Seconds from the object's own start time to its end time, where it reports no compute
   * seconds: used only where no object about the job gives `runSeconds`.
   */
  readonly timedRunSeconds?: string;
  /** Delivered units of a succeeded job (`{ image: 1 }`, `{ video_second: 5 }`). */
  readonly units?: Units;
  /** The units the create request asked for, where the object says (an OpenAI video's `seconds`). */
  readonly unitsAsked?: Units;
  readonly error?: FailureType;
  /** The provider's own error text or code (never a prompt). */
  readonly errorDetail?: string;
  /** ISO 8601 times the object carries. */
  readonly createdAt?: string;
  readonly startedAt?: string;
  readonly completedAt?: string;
  /** Fields present in the object that the adapter could not map (for "could not map" notes). */
  readonly unmapped?: readonly string[];
  /** A hash of the object's model input (never the input itself), for duplicate detection. */
  readonly inputHash?: string;
  /** True when the object says a webhook was set for it. */
  readonly webhook?: boolean;
  /** The kind of media, where the object's provider or shape says it. */
  readonly kind?: Kind;
}

/** Response headers, by lower-case name. */
export type Headers = Readonly<Record<string, string>>;

/** Reads a provider's job objects and error responses. One per provider, in its folder. */
export interface ProviderFormat {
  readonly provider: string;
  /**
   * Reads one job object (from a GET, a list item or a webhook body); a string says why not.
   * `headers` (lower-case names) are the response's, where known (fal's `x-fal-billable-units`).
   */
  readJobObject(obj: unknown, headers?: Headers): JobObjectFacts | string;
  /** The failure type of an HTTP error response, refined from its body where the provider says more. */
  classifyError(status: number, body: unknown, headers?: Headers): FailureType;
  /**
   * An error response that is no refusal but tells how an accepted request ended (fal's
   * `client_cancelled`: the caller cancelled it), as that request's facts; undefined for a refusal.
   */
  readErrorAsJob?(status: number, body: unknown, headers?: Headers): JobObjectFacts | undefined;
}
