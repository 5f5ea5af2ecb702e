import type { GuardCore } from "./guard-core.js";
import { bufferResponse, jsonResponse, type Buffered } from "./http.js";
import type { Routed } from "./shapes/index.js";
import type { AttemptState } from "./state.js";

/** What a status response says about the job: completed where it ended, or noted as ended (fal). */
export function readStatus(core: GuardCore, att: AttemptState, b: Buffered): void {
  core.stats.polls++;
  att.polls++;
  core.record(att, "polled", { http_status: b.status });
  if (!b.ok) return;
  att.lastBody = b.json;
  const facts = core.formatFor(att.provider)?.readJobObject(b.json, b.headers);
  if (typeof facts !== "object") return;
  if (att.shape.outcomeFrom === "result" && facts.outcome === undefined && facts.running === false) att.endedUnread = true;
  else core.completeFrom(att, facts);
}

/** What a result response says (fal): the output, or the error the job ended with. */
export function readResult(core: GuardCore, att: AttemptState, b: Buffered): void {
  if (b.ok) {
    att.lastBody = b.json;
    const facts = core.formatFor(att.provider)?.readJobObject(b.json, b.headers);
    if (!(typeof facts === "object" && core.completeFrom(att, facts))) core.complete(att, { outcome: "succeeded" });
    return;
  }
  // Before the job ends a result request fails without meaning the job failed.
  if (!att.endedUnread && !att.cancelRequested) return;
  const error = core.classify(att.provider, b.status, b.json, b.headers);
  core.complete(att, { outcome: att.cancelRequested ? "canceled" : "failed", error });
}

/** Holds a status request back until `min_poll_seconds` after the previous one of the same job. */
async function spacePoll(core: GuardCore, att: AttemptState, signal: AbortSignal | null | undefined): Promise<void> {
  const minMs = Math.max(core.s.minPollMs, (core.policyFor(att.provider)?.min_poll_seconds ?? 0) * 1000);
  const now = core.now();
  const gap = att.lastPollAt === undefined ? 0 : att.lastPollAt + minMs - now;
  att.lastPollAt = Math.max(now, now + gap);
  if (gap <= 0) return;
  core.stats.pollWaitMs += gap;
  await core.s.clock.sleep(gap, signal ?? undefined);
}

/**
 * A status, result or cancel request through the guard, for a job it knows. Status requests are
 * spaced by `min_poll_seconds` and answered from a webhook's final body where one arrived
 * (Replicate's webhook body is the prediction itself). Unknown jobs pass through untouched.
 */
export async function handleFollowUp(core: GuardCore, r: Routed, input: RequestInfo | URL, init: RequestInit | undefined): Promise<Response> {
  const id = r.match.requestId!;
  const att = core.book.attemptFor(r.shape.provider, id);
  if (!att) return core.s.baseFetch(input, init);
  const guarding = core.s.mode === "guard";
  if (r.match.op === "poll" && guarding) {
    if (att.finalBody !== undefined && att.provider === "replicate") {
      core.stats.pollsAnswered++;
      return jsonResponse(200, att.finalBody);
    }
    await spacePoll(core, att, init?.signal ?? (input instanceof Request ? input.signal : undefined));
  }
  if (r.match.op === "cancel" && !att.cancelRequested && att.phase !== "done") {
    att.cancelRequested = true;
    core.stats.cancels++;
    core.record(att, "cancel_requested");
  }
  const b = await bufferResponse(await core.s.baseFetch(input, init));
  if (r.match.op === "poll") readStatus(core, att, b);
  else if (r.match.op === "result") readResult(core, att, b);
  else if (b.ok) {
    const facts = core.formatFor(att.provider)?.readJobObject(b.json, b.headers);
    if (typeof facts === "object") core.completeFrom(att, facts);
  }
  return b.response;
}
