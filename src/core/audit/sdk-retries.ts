import { formatUnits } from "../decimal.js";
import type { AttemptView } from "./attempt-view.js";

/**
 * What one official SDK retries by default on a create request, as data (the facts live with
 * each provider; the audit only reads them).
 */
export interface SdkRetryRule {
  readonly provider: string;
  /** The package and version read, e.g. `openai (Node) 6.x`. */
  readonly sdk: string;
  /** How many retries the SDK makes after the first request. */
  readonly maxRetries: number;
  /** HTTP statuses of a create request that the SDK retries. */
  readonly statuses: readonly number[];
  /** True when it retries every 5xx status too. */
  readonly serverErrors: boolean;
  /** True when it retries a create request after a connection error (no response). */
  readonly connectionErrors: boolean;
  /** The longest wait, in ms, between a failed request and the SDK's retry of it. */
  readonly windowMs: number;
  /** How to turn the retries off, where the SDK allows it. */
  readonly howToDisable?: string;
  /** Where the facts come from, and when they were read. */
  readonly source: string;
  readonly checked: string;
}

/** The `sdk_retries` report key: attempts an SDK likely made behind the caller's back. */
export interface SdkRetriesReport {
  readonly count: number;
  readonly cost: string;
  readonly by_provider: Readonly<Record<string, { readonly count: number; readonly cost: string }>>;
}

/** One audited attempt as the rule needs it. */
interface Seen {
  readonly state: AttemptView;
  readonly billed: bigint;
}

const sentAt = (s: AttemptView): number => s.submittedAt ?? s.start;

/**
 * True when attempt `b` looks like the SDK's retry of attempt `a` (the one before it in the same job,
 * same provider):
 * - `a` was rejected with a status the SDK retries, or with no status (a connection error)
 *   where the SDK retries those, and `b` was sent at most `windowMs` after the rejection;
 * - or `a` was accepted (the provider created it) and `b`, with the same input, was sent at most
 *   `windowMs` after `a`: the caller cannot have seen `a` fail so fast, but an SDK that retries
 *   after a lost response (a connection error) resends it.
 */
function looksLikeRetry(rule: SdkRetryRule, a: AttemptView, b: AttemptView): boolean {
  const gapFrom = (t: number): number => sentAt(b) - t;
  const within = (t: number): boolean => gapFrom(t) >= 0 && gapFrom(t) <= rule.windowMs * 1000;
  if (a.rejectedAt !== undefined && a.createdAt === undefined && a.outcome === undefined) {
    const status = a.rejectedStatus;
    const retried = status === undefined ? rule.connectionErrors : rule.statuses.includes(status) || (rule.serverErrors && status >= 500 && status <= 599);
    return retried && within(a.rejectedAt);
  }
  if (a.createdAt !== undefined && rule.connectionErrors && a.inputHash !== undefined && a.inputHash === b.inputHash) return within(sentAt(a));
  return false;
}

/** Counts attempts that an SDK likely made on its own, job by job. */
export class SdkRetryTally {
  private readonly rules = new Map<string, SdkRetryRule>();
  private readonly byProvider = new Map<string, { count: number; cost: bigint }>();

  constructor(
    rules: readonly SdkRetryRule[],
    private readonly scale: number,
  ) {
    for (const r of rules) this.rules.set(r.provider, r);
  }

  /**
   * Adds one job's attempts (in attempt order). A chain of likely retries after one caller
   * request counts at most the SDK's `maxRetries`; what follows is the caller's own retrying.
   */
  addJob(attempts: readonly Seen[]): void {
    let chain = 0;
    for (let i = 1; i < attempts.length; i++) {
      const a = attempts[i - 1]!.state;
      const b = attempts[i]!;
      const rule = this.rules.get(b.state.provider);
      if (!rule || a.provider !== b.state.provider || !looksLikeRetry(rule, a, b.state)) {
        chain = 0;
        continue;
      }
      chain++;
      if (chain > rule.maxRetries) continue;
      const t = this.byProvider.get(rule.provider) ?? { count: 0, cost: 0n };
      t.count++;
      t.cost += b.billed;
      this.byProvider.set(rule.provider, t);
    }
  }

  /** The report key. */
  toJSON(): SdkRetriesReport {
    let count = 0;
    let cost = 0n;
    const by: Record<string, { count: number; cost: string }> = {};
    for (const p of [...this.byProvider.keys()].sort()) {
      const t = this.byProvider.get(p)!;
      count += t.count;
      cost += t.cost;
      by[p] = { count: t.count, cost: formatUnits(t.cost, this.scale) };
    }
    return { count, cost: formatUnits(cost, this.scale), by_provider: by };
  }
}
