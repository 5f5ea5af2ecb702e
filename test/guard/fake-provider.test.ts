import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startFakeProvider } from "../../src/fake-provider/server.js";
import { systemClock } from "../../src/guard/clock.js";

async function createMany(base: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${base}/models/acme/model/predictions`, { method: "POST", body: JSON.stringify({ input: { prompt: `x${i % 5}` } }) });
    const body = (await res.json()) as { id?: string };
    out.push(`${res.status} ${res.headers.get("retry-after") ?? ""} ${body.id ?? ""}`);
  }
  return out;
}

describe("the fake provider", () => {
  it("sends a job's webhook even when its timer fires before the clock reaches the job's end", async () => {
    // Timers may fire early by the wall clock (the event loop's time is cached, in whole ms).
    const early = { now: () => systemClock.now(), sleep: (ms: number) => systemClock.sleep(Math.max(0, ms - 5)) };
    const got: string[] = [];
    const hooks = createServer((req, res) => {
      got.push(req.url ?? "");
      res.end("ok");
    });
    await new Promise<void>((r) => hooks.listen(0, "127.0.0.1", r));
    const fake = await startFakeProvider({ clock: early, runSeconds: [0.05, 0.05], latencyMs: [0, 0] });
    try {
      const hook = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`;
      const res = await fetch(`${fake.urls.replicate}/models/acme/model/predictions`, { method: "POST", body: JSON.stringify({ input: { prompt: "x" }, webhook: hook }) });
      assert.equal(res.status, 201);
      for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(got, ["/hook"]);
    } finally {
      await fake.close();
      hooks.close();
    }
  });

  it("meets the same fates and ids under the same seed, others under another", async () => {
    const rates = { rate_limit: 0.3, unavailable: 0.1, invalid_input: 0.1 };
    const [a, b, c] = await Promise.all([1, 1, 2].map((seed) => startFakeProvider({ seed, rates, latencyMs: [0, 0] })));
    try {
      const [ra, rb, rc] = await Promise.all([a!, b!, c!].map((f) => createMany(f.urls.replicate, 20)));
      assert.deepEqual(ra, rb);
      assert.notDeepEqual(ra, rc);
      assert.ok(ra!.some((r) => r.startsWith("429 1 ")), "a 429 with Retry-After");
      assert.ok(ra!.some((r) => r.startsWith("201")));
    } finally {
      await Promise.all([a!, b!, c!].map((f) => f.close()));
    }
  });

  it("answers a job's status by its run time, cancels it, and bills what it ran", async () => {
    const fake = await startFakeProvider({ runSeconds: [0.2, 0.2], latencyMs: [0, 0] });
    try {
      const created = (await (await fetch(`${fake.urls.replicate}/models/acme/model/predictions`, { method: "POST", body: JSON.stringify({ input: { prompt: "p" } }) })).json()) as { id: string; status: string };
      assert.equal(created.status, "starting");
      await new Promise((r) => setTimeout(r, 100));
      const canceled = (await (await fetch(`${fake.urls.replicate}/predictions/${created.id}/cancel`, { method: "POST" })).json()) as { status: string; metrics: { predict_time: number } };
      assert.equal(canceled.status, "canceled");
      const [charge] = fake.charges();
      assert.equal(charge!.request_id, created.id);
      // Billed for the seconds it ran after 10% queued: predict_time × $0.0014.
      const ran = canceled.metrics.predict_time;
      assert.ok(ran > 0.05 && ran < 0.2, String(ran));
      assert.equal(charge!.amount, String(Math.round(ran * 1000) * 14 / 10_000_000));
      const fal = await fetch(`${fake.urls.fal}/fal-ai/flux/requests/nope/status`);
      assert.equal(fal.status, 404);
    } finally {
      await fake.close();
    }
  });

  it("runs as `failcost fake-provider` until stopped", async () => {
    const entry = fileURLToPath(new URL("../support/cli-entry.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), entry, "fake-provider", "--seed", "5", "--rate-limit", "0.2"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    for (let i = 0; i < 600 && !out.includes("Ctrl-C"); i++) await new Promise((r) => setTimeout(r, 50));
    const url = /fake provider on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    assert.ok(url, out);
    const res = await fetch(`${url}/openai/v1/videos/unknown`);
    assert.equal(res.status, 404);
    const done = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    child.kill("SIGTERM");
    assert.equal(await done, 0);
    assert.match(out, /stopped: \d+ creates/);
  });
});
