import type { FailureType, Outcome, Units } from "../core/index.js";
import { quantities, quantity } from "./quantity.js";

/** The fields of a `completed` event beyond the attempt's own (spec §2). */
export type CompletedFields = {
  readonly outcome: Outcome;
  readonly run_seconds?: number | string;
  readonly units?: Units;
  readonly error?: FailureType;
};

/**
 * What a `completed` event says, from what a provider reported: run seconds and units as the
 * spec writes quantities, units only for a success, a failure type only for an outcome that is
 * not one. The guard, the webhook receivers and imports all write it this way.
 */
export function completedFields(outcome: Outcome, f: { readonly runSeconds?: string | undefined; readonly units?: Units | undefined; readonly error?: FailureType | undefined }): CompletedFields {
  return {
    outcome,
    ...(f.runSeconds !== undefined ? { run_seconds: quantity(f.runSeconds) } : {}),
    ...(f.units !== undefined && outcome === "succeeded" ? { units: quantities(f.units) } : {}),
    ...(f.error !== undefined && outcome !== "succeeded" ? { error: f.error } : {}),
  };
}
