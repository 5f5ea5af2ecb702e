import type { ServerResponse } from "node:http";
import type { AttemptEvent, Ledger, StoredEvent } from "../core/index.js";
import { completedFields } from "../providers/completed-fields.js";
import { systemClock, type Clock } from "./clock.js";
import { EventClock, isoMicros } from "./event-time.js";
import { DeliveryReader, isRefusal, mountable, reply, type Delivery, type WebhookHandler, type WebhookOptions } from "./webhook-delivery.js";

/** The attempt a request id belongs to, as the ledger knows it. */
export interface KnownAttempt {
  readonly job: string;
  readonly attempt: number;
  readonly model: string;
  /** True when the ledger already holds its `completed`: a re-delivery adds no second one. */
  readonly completed?: boolean;
}

/** A webhook receiver that writes straight to a ledger (for `failcost serve`, apart from the app). */
export interface LedgerWebhookOptions extends WebhookOptions {
  readonly ledger: Pick<Ledger, "append" | "scan">;
  /**
   * Finds the attempt of a request id. Default: a scan of the last `lookbackHours` of the
   * ledger for the `created` event with that id (an adapter with an index can do better).
   */
  readonly findAttempt?: (provider: string, requestId: string) => Promise<KnownAttempt | undefined>;
  readonly lookbackHours?: number;
  readonly clock?: Clock;
}

/** Finds an attempt by its request id with a scan of the recent ledger. */
function scanFinder(ledger: Pick<Ledger, "scan">, hours: number, clock: Clock) {
  return async (provider: string, requestId: string): Promise<KnownAttempt | undefined> => {
    let found: KnownAttempt | undefined;
    let completed = false;
    await ledger.scan({ sinceMicros: Math.floor((clock.now() - hours * 3_600_000) * 1000), provider }, (e) => {
      const ev = e.event;
      if (ev.type === "charged" || ev.request_id !== requestId) return;
      found ??= { job: ev.job, attempt: ev.attempt, model: ev.model };
      if (ev.type === "completed") completed = true;
    });
    return found && { ...found, completed };
  };
}

/**
 * Receives a provider's webhooks in a process that did not create the jobs (the dashboard):
 * verifies them like the guard's receiver, finds each job's attempt by its request id in the
 * ledger, and appends `webhook_delivered` (and `completed` where the body is final). A request
 * id the ledger does not know is acknowledged (202) and not recorded.
 */
export function createLedgerWebhookHandler(options: LedgerWebhookOptions): WebhookHandler {
  const reader = new DeliveryReader(options);
  const clock = options.clock ?? systemClock;
  const times = new EventClock(() => clock.now());
  const find = options.findAttempt ?? scanFinder(options.ledger, options.lookbackHours ?? 48, clock);
  // Deliveries for one request id are handled one after another, so the second of two that
  // arrive at once sees the first one's `completed` (within this process).
  const tails = new Map<string, Promise<void>>();
  const oneAtATime = (key: string, work: () => Promise<void>): Promise<void> => {
    const done = (tails.get(key) ?? Promise.resolve()).then(work);
    const tail = done.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return done;
  };
  return mountable(async (req, res) => {
    const d = await reader.read(req, Math.floor(clock.now() / 1000));
    if (isRefusal(d)) return reply(res, d.status, d.text);
    await oneAtATime(d.facts.requestId, () => record(d.facts, res));
  });

  async function record(f: Delivery["facts"], res: ServerResponse): Promise<void> {
    const known = await find(options.provider, f.requestId);
    if (!known) return reply(res, 202, "accepted: the ledger has no attempt with that request id");
    const base = { provider: options.provider, model: known.model, job: known.job, attempt: known.attempt, request_id: f.requestId };
    const events: AttemptEvent[] = [{ ...base, ts: "", type: "webhook_delivered" }];
    // The first terminal report is kept: a re-delivery of an ended job records its delivery only.
    if (f.outcome !== undefined && known.completed !== true) {
      events.push({ ...base, ts: "", type: "completed", ...completedFields(f.outcome, f) });
    }
    const stored: StoredEvent[] = events.map((e) => {
      const micros = times.next();
      return { event: { ...e, ts: isoMicros(micros) }, micros };
    });
    await options.ledger.append(stored);
    reply(res, 200, "ok");
  }
}
