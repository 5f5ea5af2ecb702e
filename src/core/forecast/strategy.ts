import { parseDecimal, type Decimal } from "../decimal.js";
import { FAILURE_TYPES } from "../failure-type.js";
import { BACKOFFS, type Backoff } from "./backoff.js";

/**
 * A retry strategy to simulate. Anything left out is "as in the trial": the trial's retries,
 * its gaps between attempts, its polling and its client timeouts.
 */
export interface Strategy {
  readonly label: string;
  /** Retries after the first attempt (attempts = retries + 1). */
  readonly retries?: number;
  readonly backoff?: Backoff;
  /** Backoff base and cap, seconds (defaults 0.5 and 30). */
  readonly base?: number;
  readonly cap?: number;
  /** Seconds between status polls, or `webhook` (no polls). */
  readonly poll?: number | "webhook";
  /** The caller stops waiting after this many seconds (exact, for the canceled run time). */
  readonly timeout?: Decimal;
  /** On a timeout, cancel the provider job (billed as canceled, up to the timeout) instead of leaving it running. */
  readonly cancel?: boolean;
  /** Failure types that are retried (default: all but invalid_input and auth). */
  readonly retryOn?: readonly string[];
}

/** The trial's own behaviour: nothing overridden. */
export const AS_IN_TRIAL: Strategy = { label: "as in the trial" };

/** Failure types retried unless `retry_on` says otherwise: retrying a bad input or a refused key only pays again. */
export const DEFAULT_RETRY_ON: readonly string[] = FAILURE_TYPES.filter((t) => t !== "invalid_input" && t !== "auth");

const KEYS = ["retries", "backoff", "base", "cap", "poll", "timeout", "cancel", "retry_on"] as const;

function seconds(key: string, v: string): number | string {
  const n = Number(v.replace(/s$/, ""));
  return Number.isFinite(n) && n >= 0 && v !== "" ? n : `${key}=${v}: expected seconds >= 0`;
}

/**
 * Reads a strategy such as `retries=3,backoff=full`, `retries=0`, `poll=webhook`, `poll=5`,
 * `timeout=60,cancel`, `retry_on=rate_limit+unavailable`. Returns why when it cannot.
 */
export function parseStrategy(text: string): Strategy | string {
  const out: { -readonly [K in keyof Strategy]: Strategy[K] } = { label: text };
  const parts = text.split(",").map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return `an empty strategy: give keys such as retries=3,backoff=full (keys: ${KEYS.join(", ")})`;
  const seen = new Set<string>();
  for (const part of parts) {
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    if (!(KEYS as readonly string[]).includes(key)) return `'${key}' is not a strategy key (keys: ${KEYS.join(", ")})`;
    if (seen.has(key)) return `'${key}' is given twice`;
    seen.add(key);
    switch (key) {
      case "retries": {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0 || n > 20 || value === "") return `retries=${value}: expected a whole number 0-20`;
        out.retries = n;
        break;
      }
      case "backoff":
        if (!(BACKOFFS as readonly string[]).includes(value)) return `backoff=${value}: expected one of ${BACKOFFS.join(", ")}`;
        out.backoff = value as Backoff;
        break;
      case "base":
      case "cap": {
        const n = seconds(key, value);
        if (typeof n === "string") return n;
        out[key] = n;
        break;
      }
      case "poll": {
        if (value === "webhook") out.poll = "webhook";
        else {
          const n = seconds(key, value);
          if (typeof n === "string" || n === 0) return `poll=${value}: expected seconds > 0, or webhook`;
          out.poll = n;
        }
        break;
      }
      case "timeout": {
        const d = parseDecimal(value.replace(/s$/, ""));
        if (!d || d.units <= 0n) return `timeout=${value}: expected seconds > 0`;
        out.timeout = d;
        break;
      }
      case "cancel":
        if (value !== "" && value !== "true" && value !== "false") return `cancel=${value}: expected cancel, cancel=true or cancel=false`;
        out.cancel = value !== "false";
        break;
      case "retry_on": {
        const types = value.split("+").filter(Boolean);
        const bad = types.find((t) => !(FAILURE_TYPES as readonly string[]).includes(t));
        if (bad !== undefined || types.length === 0) return `retry_on=${value}: expected failure types joined by + (${FAILURE_TYPES.join(", ")})`;
        out.retryOn = types;
        break;
      }
    }
  }
  if (out.cancel && out.timeout === undefined) return `cancel needs a timeout, e.g. timeout=60,cancel`;
  return out;
}
