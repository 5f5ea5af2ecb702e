import { createHash } from "node:crypto";
import type { GuardRefusal } from "../errors.js";
import { secondsBetween } from "./events.js";
import { gate } from "./gate.js";
import type { GuardCore } from "./guard-core.js";
import { bufferResponse, jsonResponse, neverSent, raceAbort, readOutgoing, type Buffered, type Outgoing } from "./http.js";
import { inputHash } from "./input-hash.js";
import { retryAfterMs } from "./retry-after.js";
import type { Routed } from "./shapes/index.js";
import type { AttemptState, JobState } from "./state.js";
import { cancelAndTrack } from "./tracker.js";

/** How one create exchange ended: a response (read whole), or an error from fetch. */
type Sent = { readonly res: Buffered | Response; readonly error?: undefined } | { readonly res?: undefined; readonly error: unknown };

const REFUSAL_STATUS: Record<GuardRefusal["reason"], number> = { budget: 402, retry: 409, duplicate: 409, timeout: 408 };

/**
 * The response an SDK gets when the guard refuses to send: a JSON error no SDK retries
 * (402 or 409, `x-should-retry: false`), naming the reason; `guard.job` rethrows the typed error.
 */
function refusalResponse(error: GuardRefusal): Response {
  return jsonResponse(
    REFUSAL_STATUS[error.reason],
    { error: { message: error.message, type: "failcost_refused", code: error.reason }, detail: error.message },
    { "x-should-retry": "false", "x-failcost-refused": error.reason },
  );
}

/** The caller stopped waiting for this attempt: record it; cancel once the job exists. */
export function timeoutAttempt(core: GuardCore, att: AttemptState): void {
  if (att.timedOut || att.phase === "done") return;
  att.timedOut = true;
  core.stats.timeouts++;
  core.record(att, "client_timeout", { waited_seconds: secondsBetween(att.submittedAt, core.now()) });
  if (att.phase === "running") cancelAndTrack(core, att);
}

function onResponse(core: GuardCore, att: AttemptState, b: Buffered, sync: boolean): void {
  if (!b.ok) {
    const failure = core.classify(att.provider, b.status, b.json, b.headers);
    core.rejected(att, b.status, failure, retryAfterMs((h) => b.headers[h], core.now()));
    return;
  }
  att.requestId = att.shape.requestIdOf(b.json, b.headers);
  att.phase = "running";
  att.lastBody = b.json;
  if (att.requestId !== undefined) att.links = { requestId: att.requestId, model: att.model, base: att.base, urls: att.shape.linksOf(b.json) };
  core.book.register(att);
  core.record(att, "created");
  core.bucket(att.provider).recordSuccess();
  const facts = core.formatFor(att.provider)?.readJobObject(b.json, b.headers);
  const ended = typeof facts === "object" && core.completeFrom(att, facts);
  if (sync && !ended) core.complete(att, { outcome: "succeeded" });
  core.book.applyEarly(att);
  if (att.timedOut && att.phase === "running") cancelAndTrack(core, att);
}

/** A streamed create (server-sent events): created now, completed when the stream ends. */
function onStream(core: GuardCore, att: AttemptState, res: Response): Response {
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  att.requestId = att.shape.requestIdOf(undefined, headers);
  att.phase = "running";
  core.book.register(att);
  core.record(att, "created");
  core.bucket(att.provider).recordSuccess();
  const body = res.body!.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ flush: () => core.complete(att, { outcome: "succeeded" }) }));
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/** Sends one attempt and records what happens, whether or not the caller still waits. */
async function send(core: GuardCore, att: AttemptState, req: Outgoing, headers: HeadersInit, sync: boolean): Promise<Sent> {
  try {
    const res = await core.s.baseFetch(req.url, { ...req.rest, method: req.method, headers, ...(req.body !== undefined ? { body: req.body as BodyInit } : {}) });
    if (res.ok && (res.headers.get("content-type") ?? "").includes("text/event-stream") && res.body) return { res: onStream(core, att, res) };
    const b = await bufferResponse(res);
    onResponse(core, att, b, sync);
    return { res: b };
  } catch (error) {
    if (neverSent(error)) core.rejected(att, undefined, "unavailable");
    else {
      att.phase = "unknown";
      att.job.last = { kind: "unknown", at: core.now() };
    }
    return { error };
  }
}

function idempotencyKey(job: JobState, hash: string): string {
  return `failcost-${createHash("sha256").update(job.key).update("\0").update(hash).digest("hex").slice(0, 32)}`;
}

/**
 * A create request through the guard: gate it (retry policy, duplicates, budget), record
 * `submitted`, send it detached from the caller's signal (an abandoned create is cancelled when
 * its job appears, not lost), record the result, and retry retryable failures itself.
 */
export async function handleCreate(core: GuardCore, r: Routed, input: RequestInfo | URL, init: RequestInit | undefined, url: string, method: string): Promise<Response> {
  const req = await readOutgoing(input, init, url, method);
  const { shape, match } = r;
  const provider = shape.provider;
  const model = shape.modelOf(match, req.json);
  const kind = shape.kindOf(match, r.path);
  const unitsAsked = shape.unitsAsked(req.json, kind);
  const hash = inputHash(provider, model, req.json !== undefined ? shape.inputOf(req.json) : undefined, req.bytes);
  const job = core.jobFor(hash);
  const run = core.currentRun();
  const idemHeader = core.s.idempotencyHeaders[provider] ?? shape.idempotencyHeader;
  const signals = [req.signal, run?.signal].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  let last: Sent | undefined;
  for (;;) {
    const g = await gate(core, job, { provider, model, inputHash: hash, unitsAsked, idempotent: idemHeader !== undefined, signal }, (reservation) => {
      const key = idemHeader !== undefined ? idempotencyKey(job, hash) : undefined;
      let headers = req.headers;
      if (key !== undefined) {
        const h = new Headers(req.headers);
        h.set(idemHeader!, key);
        headers = h;
      }
      const att = core.newAttempt(job, { provider, model, shape, base: r.base, inputHash: hash, kind, unitsAsked, headers });
      att.reservation = reservation;
      return { att, key, headers };
    });
    if (!g.ok) {
      // The guard's own retry stops here: the caller gets the provider's last answer.
      if (last) {
        if (last.error !== undefined) throw last.error as Error;
        return last.res instanceof Response ? last.res : last.res!.response;
      }
      job.refusal = g.error;
      core.stats.refused[g.error.reason === "budget" ? "budget" : g.error.reason === "duplicate" ? "duplicate" : "retry"]++;
      return refusalResponse(g.error);
    }
    const { att, key, headers } = g.booked;
    core.record(att, "submitted", {
      input_hash: hash,
      ...(key !== undefined ? { idempotency_key: key } : {}),
      ...(kind !== undefined ? { kind } : {}),
      ...(unitsAsked !== undefined ? { units: unitsAsked } : {}),
      ...(shape.webhookAsked(req.json, r.query) ? { webhook: true } : {}),
      ...(core.s.recordInputs && req.json !== undefined ? { input: req.json } : {}),
    });
    core.stats.sent++;
    if (last) core.stats.retries++;
    let sent: Sent;
    try {
      sent = await raceAbort(send(core, att, req, headers, match.sync === true), signal);
    } catch (abort) {
      timeoutAttempt(core, att);
      throw abort;
    }
    if (sent.res instanceof Response) return sent.res;
    const ok = sent.res?.ok === true;
    // A lost response is retried only with an idempotency key (the provider may have the job).
    if (ok || core.s.mode === "record" || (att.phase === "unknown" && idemHeader === undefined)) {
      if (sent.error !== undefined) throw sent.error as Error;
      return sent.res!.response;
    }
    last = sent;
  }
}
