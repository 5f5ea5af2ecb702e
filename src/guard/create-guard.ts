import { parseDecimal, type Decimal, type Outcome, type Policy } from "../core/index.js";
import { UsageError } from "../errors.js";
import { loadPolicies, overridePolicies } from "../policies/load-policies.js";
import { BudgetBook } from "./budget-book.js";
import { systemClock } from "./clock.js";
import { handleCreate } from "./create-exchange.js";
import { handleFollowUp } from "./follow-exchange.js";
import { GuardCore } from "./guard-core.js";
import { urlAndMethod } from "./http.js";
import { runJob, type JobContext, type JobOptions } from "./job-runner.js";
import { bundledPolicies, seedBudgetFromLedger, type ScannableSink } from "./ledger-spend.js";
import { ledgerFromTarget } from "./ledger-target.js";
import type { GuardOptions } from "./options.js";
import { Recorder, type EventSink } from "./recorder.js";
import { DEFAULT_RETRY_BUDGET } from "./retry-budget.js";
import { DEFAULT_RETRY_POLICY } from "./retry-policy.js";
import { EndpointTable } from "./shapes/index.js";
import { newStats, type GuardStats } from "./stats.js";
import { track } from "./tracker.js";
import { createWebhookHandler, type WebhookHandler, type WebhookOptions } from "./webhook-handler.js";

/** What `guard.wait` resolves with: how the job ended, and the last job object seen. */
export interface WaitResult {
  readonly outcome: Outcome | "rejected" | undefined;
  readonly body: unknown;
}

/** The guard: an instrumented fetch, jobs, webhooks, and its own lifecycle. */
export interface Guard {
  /** A fetch for SDKs (`fetch: guard.fetch`) or direct use: records and protects provider calls, passes others through. */
  readonly fetch: typeof fetch;
  /** Runs a logical job: creates inside are its attempts; a key in flight is joined, not run twice. */
  job<T>(key: string, fn: (ctx: JobContext) => Promise<T>, options?: JobOptions): Promise<T>;
  /** A node:http handler that receives, verifies and records a provider's webhooks. */
  webhookHandler(options: WebhookOptions): WebhookHandler;
  /** Polls a job the guard created until it ends (for plain-fetch users), respecting `min_poll_seconds`. */
  wait(provider: string, requestId: string): Promise<WaitResult>;
  /** Counts of what the guard did. */
  stats(): GuardStats;
  /** Spent and held money for a budget scope key (`day:2026-11-01`, `month:2026-11`, `job:<key>`). */
  budgetUsage(scopeKey: string): { spent: string; held: string };
  /** Resolves once every event recorded so far is in the ledger. */
  flush(): Promise<void>;
  /** Stops tracking, flushes, and closes a ledger the guard opened itself. */
  close(): Promise<void>;
}

function money(name: string, value: string | undefined): Decimal | undefined {
  if (value === undefined) return undefined;
  const d = parseDecimal(value);
  if (!d || d.units < 0n) throw new UsageError(`budget.${name} ${JSON.stringify(value)}: expected a decimal amount such as "50.00"`);
  return d;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`${name} ${value}: expected a number >= 0`);
  return value;
}

function openSink(ledger: GuardOptions["ledger"], onNotice: GuardOptions["onNotice"]): { sink: EventSink | undefined; owned: boolean } {
  if (ledger === undefined) return { sink: undefined, owned: false };
  if (typeof ledger === "string") return { sink: ledgerFromTarget(ledger, onNotice && ((from, to) => onNotice({ kind: "ledger_upgrade", from, to }))), owned: true };
  return { sink: ledger, owned: false };
}

/**
 * Creates a guard: every call to a generation provider made through `guard.fetch` is recorded
 * in the ledger as the spec's events and protected: retried only when worth it (full jitter,
 * Retry-After, attempt cap, retry budget), checked against budgets by reserving its worst case,
 * deduplicated, cancelled on timeout and tracked to its end.
 */
export function createGuard(options: GuardOptions = {}): Guard {
  const clock = options.clock ?? systemClock;
  const { sink, owned } = openSink(options.ledger, options.onNotice);
  const stats = newStats();
  const b = options.budget;
  const limits = { perJob: money("perJob", b?.perJob), perDay: money("perDay", b?.perDay), perMonth: money("perMonth", b?.perMonth) };
  const hasBudget = Object.values(limits).some((v) => v !== undefined);
  const book = hasBudget ? new BudgetBook(limits) : undefined;
  const core = new GuardCore(
    {
      mode: options.mode ?? "guard",
      clock,
      random: options.random ?? Math.random,
      baseFetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      table: new EndpointTable(options.endpoints),
      retryPolicy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      retryBudget: { ...DEFAULT_RETRY_BUDGET, ...options.retryBudget },
      budget: book,
      unpriced: b?.unpriced ?? "refuse",
      duplicateWindowMs: positive("duplicates.windowSeconds", options.duplicates?.windowSeconds, 600) * 1000,
      duplicateAction: options.duplicates?.action ?? "flag",
      timeoutMs: positive("timeoutSeconds", options.timeoutSeconds, 600) * 1000,
      minPollMs: positive("polling.minPollSeconds", options.polling?.minPollSeconds, 1) * 1000,
      maxPollMs: positive("polling.maxPollSeconds", options.polling?.maxPollSeconds, 30) * 1000,
      trackMs: positive("polling.trackSeconds", options.polling?.trackSeconds, 3600) * 1000,
      idempotencyHeaders: options.idempotencyHeaders ?? {},
      recordInputs: options.recordInputs === true,
      recorder: sink
        ? new Recorder(sink, clock, {
            ...(options.batch?.size !== undefined ? { batchSize: options.batch.size } : {}),
            ...(options.batch?.flushMs !== undefined ? { flushMs: options.batch.flushMs } : {}),
            onError: (e) => options.onNotice?.({ kind: "record_error", message: e instanceof Error ? e.message : String(e) }),
          })
        : undefined,
      onEvent: options.onEvent,
      onNotice: options.onNotice,
    },
    stats,
  );

  const given = options.policies;
  const policiesGiven = given !== undefined && given.length > 0 && typeof given[0] !== "string";
  if (policiesGiven) core.setPolicies(given as readonly Policy[]);
  let ready = policiesGiven && !(book && b?.fromLedger !== false && sink && "scan" in sink);
  const init = async (): Promise<void> => {
    // Policy files layer over the shipped policies, as in the CLI; parsed policies are used as given.
    const policies = policiesGiven
      ? (given as readonly Policy[])
      : given && given.length > 0
        ? overridePolicies(await bundledPolicies(), await loadPolicies(given as readonly string[]))
        : await bundledPolicies();
    core.setPolicies(policies);
    if (book && b?.fromLedger !== false && sink && "scan" in sink) {
      await seedBudgetFromLedger(book, sink as ScannableSink, policies, clock.now()).catch((e: unknown) =>
        options.onNotice?.({ kind: "record_error", message: `could not read this month's spending from the ledger: ${e instanceof Error ? e.message : String(e)}` }),
      );
    }
    ready = true;
  };
  let initializing: Promise<void> | undefined;
  const whenReady = (): Promise<void> | undefined => (ready ? undefined : (initializing ??= init()));

  const guardedFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const { url, method } = urlAndMethod(input, init);
    const routed = core.s.table.route(method, url);
    if (!routed) return core.s.baseFetch(input, init);
    if (routed.match.op === "create") {
      const pending = whenReady();
      if (pending) await pending;
      return handleCreate(core, routed, input, init, url, method);
    }
    return handleFollowUp(core, routed, input, init);
  };

  const flights = new Map<string, Promise<unknown>>();
  let closed: Promise<void> | undefined;
  return {
    fetch: guardedFetch,
    job<T>(key: string, fn: (ctx: JobContext) => Promise<T>, jobOptions: JobOptions = {}): Promise<T> {
      if (core.s.mode === "guard") {
        const inFlight = flights.get(key);
        if (inFlight) {
          stats.joined++;
          return inFlight as Promise<T>;
        }
      }
      const p = runJob(core, sink, key, fn, jobOptions);
      if (core.s.mode === "guard") {
        flights.set(key, p);
        const clear = (): void => void (flights.get(key) === p && flights.delete(key));
        p.then(clear, clear);
      }
      return p;
    },
    webhookHandler: (o) => createWebhookHandler(core, o),
    async wait(provider, requestId) {
      const att = core.book.attemptFor(provider, requestId);
      if (!att) throw new UsageError(`no ${provider} job with request id '${requestId}' was created through this guard`);
      if (att.phase === "running" && core.s.mode === "guard") track(core, att);
      await att.done;
      return { outcome: att.outcome, body: att.lastBody };
    },
    stats: () => structuredClone(stats),
    budgetUsage: (key) => book?.usage(key) ?? { spent: "0", held: "0" },
    flush: async () => core.s.recorder?.flush(),
    close() {
      closed ??= (async () => {
        core.closing.abort();
        await core.s.recorder?.close();
        if (owned) await (sink as { close?: () => Promise<void> }).close?.();
      })();
      return closed;
    },
  };
}
