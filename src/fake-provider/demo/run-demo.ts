import { createAudit, type AttemptEvent, type Report } from "../../core/index.js";
import { createGuard } from "../../guard/create-guard.js";
import type { GuardStats } from "../../guard/stats.js";
import type { FakeStats } from "../fake-context.js";
import { FAKE_POLICIES } from "../fake-policies.js";
import { seededRandom, type FailureRates } from "../fates.js";
import { startFakeProvider } from "../server.js";
import { VirtualClock } from "../virtual-clock.js";
import { runOnce, type DemoTarget } from "./demo-client.js";
import { demoWorkload, type DemoJob } from "./workload.js";

/** What the demo runs. */
export interface DemoOptions {
  readonly seed: number;
  readonly jobs: number;
  /** Reach the fake over HTTP on 127.0.0.1 (default: in process, the same answers without sockets, much faster). */
  readonly http?: boolean;
}

/** One side of the demo: the audit of what it recorded, and what happened. */
export interface DemoSide {
  readonly report: Report;
  /** Jobs the app got an output for. */
  readonly outputs: number;
  readonly guard: GuardStats;
  readonly provider: FakeStats;
}

/** Both sides, same seed, same workload, same provider behaviour. */
export interface DemoResult {
  readonly seed: number;
  readonly jobs: number;
  readonly naive: DemoSide;
  readonly guarded: DemoSide;
}

/** How the demo's fake provider misbehaves. */
export const DEMO_RATES: FailureRates = { rate_limit: 0.06, unavailable: 0.03, invalid_input: 0.03, auth: 0, failed: 0.05, slow: 0.08 };

/** The app's timeout for one job, in seconds. */
const TIMEOUT_SECONDS = 120;

async function runSide(kind: "naive" | "guarded", options: DemoOptions): Promise<DemoSide> {
  const clock = new VirtualClock(undefined, 250);
  const wire = clock.wrapFetch(globalThis.fetch.bind(globalThis));
  const fake = await startFakeProvider({
    seed: options.seed,
    clock,
    fetch: wire,
    rates: DEMO_RATES,
    runSeconds: [4, 30],
    slowSeconds: [240, 480],
    latencyMs: [40, 250],
    retryAfterSeconds: 4,
  });
  const events: AttemptEvent[] = [];
  const transport = options.http ? wire : clock.wrapFetch(fake.fetch);
  const guard = createGuard({
    mode: kind === "naive" ? "record" : "guard",
    clock,
    random: seededRandom(options.seed),
    fetch: transport,
    endpoints: fake.endpoints,
    policies: FAKE_POLICIES,
    onEvent: (e) => events.push(e),
    timeoutSeconds: TIMEOUT_SECONDS,
  });
  const target: DemoTarget = { fetch: guard.fetch, clock, urls: fake.urls, pollMs: 1000 };
  const once = (job: DemoJob): Promise<void> => guard.job(job.key, ({ signal }) => runOnce(target, job, signal));
  // The usual app, the same on both sides: on any error, try again at once, up to four times.
  // Only the client differs: recording only, or the guard (which decides what is worth it).
  const app = async (job: DemoJob): Promise<boolean> => {
    for (let i = 0; i < 4; i++) {
      try {
        await once(job);
        return true;
      } catch {
        // try again right away
      }
    }
    return false;
  };
  let outputs = 0;
  try {
    await clock.run(async () => {
      await Promise.all(
        demoWorkload(options.seed, options.jobs).map(async (job) => {
          await clock.sleep(job.startMs);
          const runs = [app(job)];
          if (job.againAfterMs !== undefined) runs.push(clock.sleep(job.againAfterMs).then(() => app(job)));
          if ((await Promise.all(runs)).some(Boolean)) outputs++;
        }),
      );
      // Time for the guard to track its orphans to their end.
      await clock.sleep(30 * 60_000);
    });
  } finally {
    await guard.close();
    await fake.close();
  }
  const audit = createAudit({ policies: FAKE_POLICIES });
  let line = 0;
  for (const e of [...events, ...fake.charges()]) audit.addValue(JSON.parse(JSON.stringify(e)), { file: `${kind} events`, line: ++line });
  return { report: audit.finish(), outputs, guard: guard.stats(), provider: { ...fake.stats, rejected: { ...fake.stats.rejected } } };
}

/**
 * The demo: the same workload against the same misbehaving fake provider, once through an
 * app that records only (and retries everything at once, never cancels), once through the
 * guard. Runs on virtual time, so it takes seconds and repeats exactly under a seed.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const naive = await runSide("naive", options);
  const guarded = await runSide("guarded", options);
  return { seed: options.seed, jobs: options.jobs, naive, guarded };
}
