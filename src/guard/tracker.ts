import { messageOf } from "../errors.js";
import { readResult, readStatus } from "./follow-exchange.js";
import type { GuardCore } from "./guard-core.js";
import { bufferResponse, followUpHeaders } from "./http.js";
import { pollDelayMs } from "./poll-schedule.js";
import type { FollowUp } from "./shapes/index.js";
import type { AttemptState } from "./state.js";

async function follow(core: GuardCore, att: AttemptState, req: FollowUp) {
  return bufferResponse(await core.s.baseFetch(req.url, { method: req.method, headers: followUpHeaders(att.headers) }));
}

/** Asks the provider to cancel a job the caller gave up on, where the provider has cancel. */
async function cancel(core: GuardCore, att: AttemptState): Promise<void> {
  const req = att.links && att.shape.cancelRequest(att.links);
  if (!req || att.phase === "done" || att.cancelRequested) return;
  att.cancelRequested = true;
  core.stats.cancels++;
  core.record(att, "cancel_requested");
  try {
    const b = await follow(core, att, req);
    if (!b.ok) return;
    const facts = core.formatFor(att.provider)?.readJobObject(b.json, b.headers);
    if (typeof facts === "object") core.completeFrom(att, facts);
  } catch (e) {
    core.notice({ kind: "cancel_failed", provider: att.provider, requestId: att.requestId ?? "", message: messageOf(e) });
  }
}

/** One status request of the guard's own poller (and the result, once the status says the job ended). */
async function pollOnce(core: GuardCore, att: AttemptState): Promise<void> {
  const links = att.links!;
  if (att.endedUnread) {
    const req = att.shape.resultRequest?.(links);
    if (req) readResult(core, att, await follow(core, att, req));
    return;
  }
  const req = att.shape.pollRequest(links);
  if (!req) return;
  att.lastPollAt = core.now();
  readStatus(core, att, await follow(core, att, req));
}

/**
 * Polls a job until it ends, so its charge lands in the ledger even when nobody waits for it
 * (an orphan after a timeout, or a job the caller left running): gaps start at the policy's
 * `min_poll_seconds` and grow to a cap; a webhook for the job ends it early.
 */
export function track(core: GuardCore, att: AttemptState): void {
  // Without a body format nothing would tell when the job ended (Runway, for now).
  if (att.tracking || att.phase !== "running" || !att.links || core.s.mode === "record" || !core.formatFor(att.provider)) return;
  att.tracking = true;
  core.stats.tracked++;
  const minMs = Math.max(core.s.minPollMs, (core.policyFor(att.provider)?.min_poll_seconds ?? 0) * 1000);
  const until = core.now() + core.s.trackMs;
  const loop = async (): Promise<void> => {
    for (let n = 0; att.phase === "running" && core.now() < until; n++) {
      await core.s.clock.sleep(pollDelayMs(n, { minMs, maxMs: Math.max(minMs, core.s.maxPollMs) }), core.closing.signal, true);
      if (att.phase !== "running") break;
      try {
        await pollOnce(core, att);
      } catch {
        // A failed status request is tried again at the next gap.
      }
    }
  };
  void loop()
    .catch(() => undefined)
    .finally(() => (att.tracking = false));
}

/** Cancels a job the caller gave up on (where possible), then tracks it to its end. */
export function cancelAndTrack(core: GuardCore, att: AttemptState): void {
  if (core.s.mode === "record") return;
  void cancel(core, att)
    .catch(() => undefined)
    .finally(() => track(core, att));
}
