import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startFakeProvider } from "../../src/fake-provider/server.js";
import { VirtualClock } from "../../src/fake-provider/virtual-clock.js";

describe("virtual time", () => {
  it("jumps to the next timer when everything waits, in time order, ties in the order asked", async () => {
    const clock = new VirtualClock(0);
    const seen: string[] = [];
    const started = Date.now();
    await clock.run(async () => {
      await Promise.all([
        clock.sleep(3_600_000).then(() => seen.push(`a@${clock.now()}`)),
        clock.sleep(1000).then(() => seen.push(`b@${clock.now()}`)),
        clock.sleep(1000).then(() => seen.push(`c@${clock.now()}`)),
        (async () => {
          await clock.sleep(500);
          await clock.sleep(600);
          seen.push(`d@${clock.now()}`);
        })(),
      ]);
    });
    assert.deepEqual(seen, ["b@1000", "c@1000", "d@1100", "a@3600000"]);
    assert.ok(Date.now() - started < 5000, "an hour of virtual time took real time");
  });

  it("rounds timers up to its quantum, never shorter than asked", async () => {
    const clock = new VirtualClock(0, 250);
    await clock.run(async () => {
      await clock.sleep(10);
      assert.equal(clock.now(), 250);
      await clock.sleep(251);
      assert.equal(clock.now(), 750);
    });
  });

  it("holds time still while a request is on the wire, and lets the server's latency pass on the clock", async () => {
    const clock = new VirtualClock(Date.UTC(2026, 10, 2));
    const fake = await startFakeProvider({ clock, latencyMs: [700, 700], runSeconds: [5, 5] });
    try {
      const wire = clock.wrapFetch(globalThis.fetch.bind(globalThis));
      const times = await clock.run(async () => {
        const t0 = clock.now();
        const res = await wire(`${fake.urls.replicate}/models/a/b/predictions`, { method: "POST", body: JSON.stringify({ input: { prompt: "x" } }) });
        const body = (await res.json()) as { urls: { get: string } };
        const t1 = clock.now();
        await clock.sleep(5000);
        const after = (await (await wire(body.urls.get)).json()) as { status: string };
        return { create: t1 - t0, status: after.status };
      });
      assert.equal(times.create, 700);
      assert.equal(times.status, "succeeded");
    } finally {
      await fake.close();
    }
  });
});
