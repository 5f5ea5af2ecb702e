// Reproduces the qualitative result of the AWS Architecture Blog's "Exponential Backoff And
// Jitter" (Marc Brooker, 2015) with failcost's own simulator: clients contending for one row of
// an optimistic-concurrency store, base 5 ms, cap 2000 ms, network delay |N(10 ms, 2 ms)|.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BACKOFFS, createPrng, simulateOcc, type Backoff } from "../../src/core/index.js";

function average(clients: number, kind: Backoff, runs: number, seed: number): { calls: number; time: number } {
  const prng = createPrng(seed);
  let calls = 0;
  let time = 0;
  for (let r = 0; r < runs; r++) {
    const x = simulateOcc({ clients, backoff: { kind, base: 5, cap: 2000 } }, prng);
    calls += x.calls;
    time += x.time;
  }
  return { calls: calls / runs, time: time / runs };
}

function table(clients: number): Record<Backoff, { calls: number; time: number }> {
  return Object.fromEntries(BACKOFFS.map((k) => [k, average(clients, k, 25, 1)])) as Record<Backoff, { calls: number; time: number }>;
}

describe("backoff and jitter on contending clients (AWS Architecture Blog)", () => {
  for (const clients of [50, 100]) {
    it(`${clients} clients: no jitter is the clear loser, jitter cuts calls and time, full jitter is among the cheapest`, () => {
      const t = table(clients);
      const jittered = ["full", "equal", "decorrelated"] as const;
      for (const j of jittered) {
        // Exponential backoff without jitter does more work and takes far longer than any jittered variant.
        assert.ok(t.expo.calls > t[j].calls * 1.3, `expo calls ${t.expo.calls} vs ${j} ${t[j].calls}`);
        assert.ok(t.expo.time > t[j].time * 4, `expo time ${t.expo.time} vs ${j} ${t[j].time}`);
        // Jitter cuts total calls compared with no backoff at all.
        assert.ok(t[j].calls < t.none.calls * 0.7, `${j} calls ${t[j].calls} vs none ${t.none.calls}`);
      }
      // Full jitter does the least work or within 5% of it.
      const cheapest = Math.min(...jittered.map((j) => t[j].calls));
      assert.ok(t.full.calls <= cheapest * 1.05, `full ${t.full.calls} vs cheapest ${cheapest}`);
      // Equal jitter takes longer than full jitter.
      assert.ok(t.equal.time > t.full.time, `equal ${t.equal.time} vs full ${t.full.time}`);
    });
  }

  it("is deterministic under a seed, and a different seed gives different runs", () => {
    const a = simulateOcc({ clients: 20, backoff: { kind: "full", base: 5, cap: 2000 } }, createPrng(42));
    const b = simulateOcc({ clients: 20, backoff: { kind: "full", base: 5, cap: 2000 } }, createPrng(42));
    const c = simulateOcc({ clients: 20, backoff: { kind: "full", base: 5, cap: 2000 } }, createPrng(43));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it("counts one successful write per client", () => {
    for (const kind of BACKOFFS) {
      const r = simulateOcc({ clients: 30, backoff: { kind, base: 5, cap: 2000 } }, createPrng(3));
      assert.equal(r.calls - r.failures, 30, kind);
    }
  });
});
