import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createFalClient } from "@fal-ai/client";
import OpenAI from "openai";
import Replicate from "replicate";
import { isJobTimeoutError } from "../../src/errors.js";
import { createGuard } from "../../src/guard/index.js";
import { fakeProvider, quickPolicies, until } from "./helpers.js";
import { MemorySink } from "./memory-sink.js";

/** The events of a timed-out job, where the timeout may land before or after the create's answer. */
function assertTimeline(sink: MemorySink, expected: string[]): void {
  const seen = types(sink);
  assert.equal(seen[0], expected[0], seen.join(", "));
  assert.equal(seen.at(-1), expected.at(-1), seen.join(", "));
  assert.deepEqual([...seen].sort(), [...expected].sort());
}

function types(sink: MemorySink): string[] {
  return sink
    .all()
    .filter((e) => e.type !== "polled")
    .map((e) => `${e.type}${"outcome" in e ? ` ${e.outcome}` : ""}`);
}

describe("timeouts without orphans", () => {
  it("a Replicate job past its timeout is cancelled, recorded, and tracked to its end", async () => {
    const fake = await fakeProvider({ runSeconds: [6, 6] });
    try {
      const sink = new MemorySink();
      const guard = createGuard({ ledger: sink, policies: quickPolicies(), endpoints: fake.endpoints, polling: { minPollSeconds: 0.02 } });
      const replicate = new Replicate({ auth: "r8_test", baseUrl: fake.urls.replicate, fetch: guard.fetch });
      const started = Date.now();
      const err = await guard
        .job("slow-image", ({ signal }) => replicate.run("black-forest-labs/flux-dev", { input: { prompt: "slow" }, signal, wait: { mode: "poll", interval: 20 } }), { timeoutSeconds: 1 })
        .catch((e: unknown) => e);
      assert.ok(isJobTimeoutError(err), String(err));
      assert.ok(Date.now() - started < 5000, "the job did not wait for the provider (6 s)");
      await until(() => guard.stats().cancels === 1, 10_000, "the cancel");
      const job = fake.jobs()[0]!;
      assert.equal((await guard.wait("replicate", job.id)).outcome, "canceled");
      await guard.close();
      assertTimeline(sink, ["submitted", "created", "client_timeout", "cancel_requested", "completed canceled"]);
      assert.ok(job.canceledAt !== undefined && job.canceledAt < job.endsAt);
      const timeout = sink.ofType("client_timeout")[0] as { waited_seconds: number };
      assert.ok(timeout.waited_seconds > 0 && timeout.waited_seconds <= 1 + 3, String(timeout.waited_seconds));
      assert.equal(guard.stats().cancels, 1);
    } finally {
      await fake.close();
    }
  });

  it("a fal job past its timeout is cancelled with PUT …/cancel, and its end read from the result", async () => {
    const fake = await fakeProvider({ runSeconds: [6, 6] });
    try {
      const sink = new MemorySink();
      const guard = createGuard({ ledger: sink, policies: quickPolicies(), endpoints: fake.endpoints, polling: { minPollSeconds: 0.02 } });
      const fal = createFalClient({ credentials: "k", fetch: guard.fetch, requestMiddleware: (r) => Promise.resolve({ ...r, url: r.url.replace("https://queue.fal.run", fake.urls.fal) }) });
      const err = await guard
        .job("slow-fal", ({ signal }) => fal.subscribe("fal-ai/flux/dev", { input: { prompt: "slow" }, pollInterval: 20, abortSignal: signal }), { timeoutSeconds: 1 })
        .catch((e: unknown) => e);
      assert.ok(isJobTimeoutError(err), String(err));
      await until(() => guard.stats().cancels === 1, 10_000, "the cancel");
      const job = fake.jobs()[0]!;
      assert.equal((await guard.wait("fal", job.id)).outcome, "canceled");
      await guard.close();
      assertTimeline(sink, ["submitted", "created", "client_timeout", "cancel_requested", "completed canceled"]);
      assert.ok(job.canceledAt !== undefined);
    } finally {
      await fake.close();
    }
  });

  it("an OpenAI video (no cancel) is tracked after the timeout until it ends, so its charge lands", async () => {
    const fake = await fakeProvider({ runSeconds: [2, 2] });
    try {
      const sink = new MemorySink();
      const guard = createGuard({ ledger: sink, policies: quickPolicies(), endpoints: fake.endpoints, polling: { minPollSeconds: 0.02 } });
      const openai = new OpenAI({ apiKey: "sk-test", baseURL: fake.urls.openai, fetch: guard.fetch, maxRetries: 0 });
      const err = await guard
        .job(
          "teaser",
          async ({ signal }) => {
            let v = await openai.videos.create({ model: "sora-2", prompt: "slow", seconds: "8" }, { signal });
            while (v.status !== "completed") v = await openai.videos.retrieve(v.id, { signal });
          },
          { timeoutSeconds: 0.5 },
        )
        .catch((e: unknown) => e);
      assert.ok(isJobTimeoutError(err), String(err));
      await until(() => guard.stats().tracked === 1, 10_000, "the orphan to be tracked");
      const job = fake.jobs()[0]!;
      assert.equal((await guard.wait("openai", job.id)).outcome, "succeeded");
      await guard.close();
      // Under load the timeout may come before the create's answer: either order is true.
      const seen = types(sink);
      assert.deepEqual([...seen.slice(1, 3)].sort(), ["client_timeout", "created"]);
      assert.deepEqual([seen[0], seen[3], seen.length], ["submitted", "completed succeeded", 4]);
      assert.deepEqual((sink.ofType("completed")[0] as { units?: unknown }).units, { video_second: 8 });
      assert.equal(guard.stats().tracked, 1);
    } finally {
      await fake.close();
    }
  });

  it("a create the caller stops waiting for is cancelled as soon as its job appears", async () => {
    const fake = await fakeProvider({ runSeconds: [3, 3], latencyMs: [300, 300] });
    try {
      const sink = new MemorySink();
      const guard = createGuard({ ledger: sink, policies: quickPolicies(), endpoints: fake.endpoints });
      const res = guard.fetch(`${fake.urls.replicate}/models/black-forest-labs/flux-dev/predictions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ input: { prompt: "impatient" } }),
        signal: AbortSignal.timeout(50),
      });
      await assert.rejects(res, (e: Error) => e.name === "TimeoutError" || e.name === "AbortError");
      await until(() => guard.stats().cancels === 1, 10_000, "the abandoned job to be cancelled");
      const job = fake.jobs()[0]!;
      assert.equal((await guard.wait("replicate", job.id)).outcome, "canceled");
      await guard.close();
      assert.deepEqual(types(sink), ["submitted", "client_timeout", "created", "cancel_requested", "completed canceled"]);
    } finally {
      await fake.close();
    }
  });

  it("in record mode a timeout is recorded but nothing is cancelled", async () => {
    const fake = await fakeProvider({ runSeconds: [3, 3] });
    try {
      const sink = new MemorySink();
      const guard = createGuard({ mode: "record", ledger: sink, policies: quickPolicies(), endpoints: fake.endpoints });
      const replicate = new Replicate({ auth: "r8_test", baseUrl: fake.urls.replicate, fetch: guard.fetch });
      await assert.rejects(guard.job("naive", ({ signal }) => replicate.run("black-forest-labs/flux-dev", { input: { prompt: "slow" }, signal, wait: { mode: "poll", interval: 20 } }), { timeoutSeconds: 0.6 }));
      await guard.close();
      assert.deepEqual(types(sink).slice(0, 3), ["submitted", "created", "client_timeout"]);
      assert.equal(guard.stats().cancels, 0);
    } finally {
      await fake.close();
    }
  });
});
