import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Recorder } from "../../src/guard/recorder.js";
import { fastClock } from "./helpers.js";
import { MemorySink } from "./memory-sink.js";

const event = (i: number) => ({ ts: `2026-11-02T09:00:00.${String(i).padStart(6, "0")}Z`, provider: "replicate", model: "m", job: `j${i}`, attempt: 1, type: "submitted" as const, input_hash: "sha256:00" });

describe("the recorder", () => {
  it("batches appends and keeps every event through failed appends", async () => {
    const sink = new MemorySink();
    sink.failNext = 2;
    const errors: unknown[] = [];
    const rec = new Recorder(sink, fastClock(), { batchSize: 100, onError: (e) => errors.push(e) });
    for (let i = 0; i < 1000; i++) rec.record(event(i), 1_793_000_000_000_000 + i);
    await rec.close();
    assert.equal(sink.events.length, 1000);
    assert.deepEqual(
      sink.events.map((e) => e.event.job),
      Array.from({ length: 1000 }, (_, i) => `j${i}`),
    );
    assert.equal(errors.length, 2);
    assert.equal(sink.appends, 10);
    assert.equal(rec.written, 1000);
    assert.equal(rec.pending, 0);
  });

  it("writes a lone event after a short wait, without a flush", async () => {
    const sink = new MemorySink();
    const rec = new Recorder(sink, fastClock(), { flushMs: 5 });
    rec.record(event(1), 1);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(sink.events.length, 1);
    await rec.close();
  });

  it("closing gives up on a ledger that keeps failing, and says how many events were not written", async () => {
    const sink = new MemorySink();
    sink.failNext = 1000;
    const errors: string[] = [];
    const rec = new Recorder(sink, fastClock(), { onError: (e) => errors.push((e as Error).message) });
    for (let i = 0; i < 3; i++) rec.record(event(i), i);
    await rec.close();
    assert.equal(sink.events.length, 0);
    assert.equal(errors.at(-1), "ledger unavailable: 3 events not written");
  });
});
