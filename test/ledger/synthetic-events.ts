// A small seeded generator of realistic event streams for the ledger's tests and benchmark:
// retries, rejections, polls, timeouts, duplicates across jobs, webhooks, and charges that
// arrive weeks later. (To be replaced by bench/generate-events.ts once it lands on main.)
import { parsePolicy, type Policy } from "../../src/core/index.js";

/** What to generate. */
export interface SyntheticOptions {
  readonly jobs: number;
  readonly seed?: number;
  /** First job's start, ms since the epoch (default 2026-11-01T00:00:00Z). */
  readonly startMs?: number;
  /** Mean gap between job starts, ms (default 20 s). */
  readonly gapMs?: number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS: Record<string, string[]> = {
  acme: ["acme/img-fast", "acme/img-pro", "acme/video-1"],
  zeta: ["zeta/text-small", "zeta/voice"],
};

/** Spellings of one instant, so identities must not depend on how a time is written. */
function spell(ms: number, style: number, extraMicros: number): string {
  const iso = new Date(ms).toISOString();
  if (style === 0) return iso;
  if (style === 1) return `${iso.slice(0, 23)}${String(extraMicros).padStart(3, "0")}Z`;
  const shifted = new Date(ms + 2 * 3600_000).toISOString();
  return `${shifted.slice(0, 23)}+02:00`;
}

/** Events of `jobs` jobs, job by job (each job's events in time order, its charges last). */
export function* syntheticEvents(options: SyntheticOptions): Generator<Record<string, unknown>> {
  const rnd = mulberry32(options.seed ?? 1);
  const gap = options.gapMs ?? 20_000;
  let t = options.startMs ?? Date.UTC(2026, 10, 1);
  const recentHashes: { hash: string; at: number }[] = [];
  for (let j = 0; j < options.jobs; j++) {
    t += Math.floor(rnd() * 2 * gap);
    const provider = rnd() < 0.7 ? "acme" : "zeta";
    const models = MODELS[provider]!;
    const model = models[Math.floor(rnd() * models.length)]!;
    const job = `job-${options.seed ?? 1}-${j}`;
    const style = Math.floor(rnd() * 3);
    const ts = (ms: number): string => spell(ms, style, Math.floor(rnd() * 1000));
    // A resubmission of a recent input makes duplicates across jobs.
    const recent = recentHashes.filter((h) => t - h.at < 600_000);
    const hash = recent.length > 0 && rnd() < 0.05 ? recent[Math.floor(rnd() * recent.length)]!.hash : `h${Math.floor(rnd() * 1e12).toString(36)}`;
    recentHashes.push({ hash, at: t });
    if (recentHashes.length > 50) recentHashes.shift();
    const attempts = 1 + (rnd() < 0.25 ? 1 : 0) + (rnd() < 0.08 ? 1 : 0);
    let at = t;
    const charges: Record<string, unknown>[] = [];
    for (let a = 1; a <= attempts; a++) {
      const base = { provider, model, job, attempt: a };
      const webhook = rnd() < 0.2;
      yield { ...base, ts: ts(at), type: "submitted", input_hash: hash, kind: model.includes("video") ? "video" : "image", units: { image: 1 }, ...(webhook ? { webhook: true } : {}), prompt: "never stored" };
      at += 50 + Math.floor(rnd() * 400);
      if (rnd() < 0.08) {
        yield { ...base, ts: ts(at), type: "rejected", http_status: rnd() < 0.6 ? 429 : 422 };
        at += 1000;
        continue;
      }
      const rid = `r-${j}-${a}-${Math.floor(rnd() * 1e9).toString(36)}`;
      yield { ...base, request_id: rid, ts: ts(at), type: "created" };
      const polls = Math.floor(rnd() * 5);
      for (let p = 0; p < polls; p++) {
        at += 500 + Math.floor(rnd() * 3000);
        yield { ...base, request_id: rid, ts: ts(at), type: "polled", http_status: 200 };
      }
      at += 1000 + Math.floor(rnd() * 20_000);
      const roll = rnd();
      if (roll < 0.05) {
        yield { ...base, request_id: rid, ts: ts(at), type: "client_timeout", waited_seconds: 30 };
        if (rnd() < 0.5) continue; // the outcome never became known
        at += 5000;
      }
      const outcome = roll < 0.78 ? "succeeded" : roll < 0.88 ? "failed" : roll < 0.93 ? "canceled" : "timed_out";
      const run = (Math.floor(rnd() * 300) / 10).toString();
      yield { ...base, request_id: rid, ts: ts(at), type: "completed", outcome, run_seconds: Number(run), ...(outcome === "succeeded" ? { units: { image: 1 + Math.floor(rnd() * 3) } } : { error: rnd() < 0.5 ? "unavailable" : "other" }) };
      if (webhook) yield { ...base, request_id: rid, ts: ts(at + 200), type: rnd() < 0.9 ? "webhook_delivered" : "webhook_failed", requeued: false };
      if (outcome === "succeeded" && rnd() < 0.05) yield { ...base, request_id: rid, ts: ts(at + 900), type: "output_rejected", error: "quality" };
      if (provider === "acme" && rnd() < 0.6) {
        // Billing data: usually a day later, sometimes weeks later.
        const later = rnd() < 0.1 ? 21 * 86400_000 : 86400_000;
        charges.push({ ts: new Date(at + later).toISOString(), type: "charged", provider, request_id: rid, amount: `0.0${1 + Math.floor(rnd() * 9)}${Math.floor(rnd() * 10)}`, currency: "USD" });
      }
      if (outcome === "succeeded" && rnd() < 0.85) break;
      at += 1000;
    }
    yield* charges;
    if (rnd() < 0.003) yield { ts: new Date(at).toISOString(), type: "charged", provider: "acme", request_id: `unknown-${j}`, amount: "0.5", currency: "USD" };
  }
}

/** The synthetic providers' policy files, as JSON (one `unknown` answer each, for ranges). */
export const SYNTHETIC_POLICY_FILES: readonly Record<string, unknown>[] = [
  {
    provider: "acme",
    currency: "USD",
    sources: ["https://acme.example/billing"],
    prices: { "*": { per_second: "0.0011" }, "acme/img-*": { per_job: "0.002", per_unit: { image: "0.003" }, max_run_seconds: 60 } },
    bills: { succeeded: ["per_job", "per_second", "per_unit"], failed: ["per_job", "per_second"], canceled: "unknown", timed_out: ["per_job", "per_second"], rejected: { "*": [] } },
    polls: false,
    min_poll_seconds: 2,
  },
  {
    provider: "zeta",
    currency: "USD",
    sources: ["https://zeta.example/pricing"],
    prices: { "*": { per_request: "0.0005", per_unit: { image: "0.02" }, max_run_seconds: 30 } },
    bills: { succeeded: ["per_request", "per_unit"], failed: ["per_request"], canceled: ["per_request"], timed_out: "unknown", rejected: { rate_limit: [], "*": ["per_request"] } },
    polls: true,
  },
];

/** The policies the synthetic providers are priced with. */
export function syntheticPolicies(): Policy[] {
  return SYNTHETIC_POLICY_FILES.map((r) => {
    const p = parsePolicy(r);
    if (!p.ok) throw new Error(JSON.stringify(p.issues));
    return p.policy;
  });
}
