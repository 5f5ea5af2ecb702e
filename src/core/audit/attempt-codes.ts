import { FAILURE_TYPES, type FailureType } from "../failure-type.js";

/** The failure type's code in the columns (0: none). */
export function failureCode(t: FailureType | undefined | null): number {
  return t === undefined || t === null ? 0 : FAILURE_TYPES.indexOf(t) + 1;
}

/** The failure type of a column code. */
export function failureOfCode(c: number): FailureType | undefined {
  return c === 0 ? undefined : FAILURE_TYPES[c - 1];
}

/**
 * Facts few attempts have (a rejection, a client timeout, a cancel, webhooks, conflicts), kept
 * aside so the columns every attempt pays for stay small. Times in µs since the epoch.
 */
export interface RareFacts {
  /** When the input hash / asked units were given, where that differs from `submittedAt`. */
  hashAt?: number;
  unitsAskedAt?: number;
  rejectedAt?: number;
  rejectedStatus?: number;
  rejectedError?: number;
  timeoutAt?: number;
  cancelAt?: number;
  requeuedAt?: number;
  outputRejectedAt?: number;
  outputRejectedError?: number;
  webhookDelivered?: number;
  webhookFailed?: number;
  otherModels?: string[];
  otherRequestIds?: string[];
  /** run_seconds text that a double cannot hold exactly. */
  runText?: string;
}

/** The flag bit of a `submitted` that asked for a webhook. */
export const WEBHOOK_ASKED = 1;
/** The flag bit of an attempt with rare facts (so most attempts skip the map lookup). */
export const HAS_RARE = 2;

