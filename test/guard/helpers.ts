import type { Policy } from "../../src/core/index.js";
import { FAKE_POLICIES } from "../../src/fake-provider/fake-policies.js";
import { startFakeProvider, type FakeProvider, type FakeProviderOptions } from "../../src/fake-provider/server.js";
import { systemClock, type Clock } from "../../src/guard/clock.js";

/**
 * Real time, but every sleep is cut to `factor` of what was asked (and what was asked is kept):
 * a 7 s Retry-After passes in 7 ms, and the test can still check that 7 s were asked for.
 */
export function fastClock(factor = 0.001): Clock & { readonly sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => systemClock.now(),
    sleep(ms, signal, background) {
      sleeps.push(ms);
      return systemClock.sleep(ms * factor, signal, background);
    },
  };
}

/** The fake provider's policies with a short `min_poll_seconds`, so tests poll quickly. */
export function quickPolicies(minPollSeconds = 0.02): Policy[] {
  return FAKE_POLICIES.map((p) => ({ ...p, min_poll_seconds: minPollSeconds }));
}

/** Starts a fake provider for one test file; stop it in `after`. */
export function fakeProvider(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  return startFakeProvider({ runSeconds: [0.05, 0.1], latencyMs: [1, 3], ...options });
}

/** A prompt for which the fake's `k`-th create of it meets the wanted fate. */
export { draw } from "../../src/fake-provider/fates.js";

/** Waits until `cond` holds (checked every 10 ms), failing after `ms`. */
export async function until(cond: () => boolean, ms = 10_000, what = "the condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
