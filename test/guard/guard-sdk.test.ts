import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createFalClient } from "@fal-ai/client";
import OpenAI from "openai";
import Replicate from "replicate";
import { createAudit } from "../../src/core/index.js";
import type { FakeProvider } from "../../src/fake-provider/server.js";
import { createGuard } from "../../src/guard/index.js";
import { fakeProvider, quickPolicies } from "./helpers.js";
import { MemorySink } from "./memory-sink.js";

const SECRET_KEY = "r8_SECRET_KEY_never_in_the_ledger";
const PROMPT = "a secret prompt that must not be stored";

function sequence(sink: MemorySink, job?: string): string[] {
  return sink
    .all()
    .filter((e) => job === undefined || e.job === job)
    .map((e) => `${e.attempt} ${e.type}${"http_status" in e && e.type === "rejected" ? ` ${e.http_status}` : ""}${"outcome" in e ? ` ${e.outcome}` : ""}`)
    .filter((s, i, all) => !(s.endsWith("polled") && all[i - 1]?.endsWith("polled")));
}

describe("guard.fetch with the real SDKs against the fake provider", () => {
  let fake: FakeProvider;
  before(async () => {
    fake = await fakeProvider();
  });
  after(async () => fake.close());

  const guardFor = (sink: MemorySink, extra: Parameters<typeof createGuard>[0] = {}) =>
    createGuard({ ledger: sink, policies: quickPolicies(), endpoints: fake.endpoints, polling: { minPollSeconds: 0.01 }, ...extra });

  it("records a Replicate run as submitted, created, polled, completed, with the prediction id and without the key or the prompt", async () => {
    const sink = new MemorySink();
    const guard = guardFor(sink);
    const replicate = new Replicate({ auth: SECRET_KEY, baseUrl: fake.urls.replicate, fetch: guard.fetch });
    await guard.job("hero-image-42", () => replicate.run("black-forest-labs/flux-schnell", { input: { prompt: PROMPT, num_outputs: 2 }, wait: { mode: "poll", interval: 10 } }));
    await guard.close();
    assert.deepEqual(sequence(sink), ["1 submitted", "1 created", "1 polled", "1 completed succeeded"]);
    assert.deepEqual(sink.problems, []);
    const [submitted, created] = sink.all();
    assert.equal(submitted!.model, "black-forest-labs/flux-schnell");
    assert.match((submitted as { input_hash: string }).input_hash, /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual((submitted as { units: unknown }).units, { image: 2 });
    assert.equal(created!.request_id, fake.jobs().find((j) => j.model === "black-forest-labs/flux-schnell")!.id);
    const text = JSON.stringify(sink.events);
    assert.ok(!text.includes(SECRET_KEY), "the API key reached the ledger");
    assert.ok(!text.includes(PROMPT), "the prompt reached the ledger");
    assert.ok(!/authorization/i.test(text));
  });

  it("stores the input in clear only when asked to", async () => {
    const sink = new MemorySink();
    const guard = guardFor(sink, { recordInputs: true });
    const replicate = new Replicate({ auth: SECRET_KEY, baseUrl: fake.urls.replicate, fetch: guard.fetch });
    await replicate.run("black-forest-labs/flux-schnell", { input: { prompt: PROMPT }, wait: { mode: "poll", interval: 10 } });
    await guard.close();
    assert.ok(JSON.stringify(sink.events).includes(PROMPT));
    assert.ok(!JSON.stringify(sink.events).includes(SECRET_KEY));
  });

  it("records OpenAI images (answered directly) and videos (a polled job)", async () => {
    const sink = new MemorySink();
    const guard = guardFor(sink);
    const openai = new OpenAI({ apiKey: "sk-test-not-recorded", baseURL: fake.urls.openai, fetch: guard.fetch, maxRetries: 0 });
    const images = await guard.job("poster", () => openai.images.generate({ model: "gpt-image-1", prompt: "a poster", n: 2 }));
    assert.equal(images.data?.length, 2);
    const video = await guard.job("teaser", async () => {
      let v = await openai.videos.create({ model: "sora-2", prompt: "a teaser", seconds: "4" });
      while (v.status !== "completed" && v.status !== "failed") v = await openai.videos.retrieve(v.id);
      return v;
    });
    assert.equal(video.status, "completed");
    await guard.close();
    assert.deepEqual(sequence(sink, "poster"), ["1 submitted", "1 created", "1 completed succeeded"]);
    assert.deepEqual(sequence(sink, "teaser"), ["1 submitted", "1 created", "1 polled", "1 completed succeeded"]);
    const poster = sink.all().filter((e) => e.job === "poster");
    assert.match(poster[1]!.request_id!, /^req_/);
    assert.deepEqual((poster[0] as { kind?: string }).kind, "image");
    assert.deepEqual((poster[0] as { units?: unknown }).units, { image: 2 });
    const teaser = sink.all().filter((e) => e.job === "teaser");
    assert.equal(teaser[1]!.request_id, video.id);
    assert.deepEqual((teaser[0] as { units?: unknown }).units, { video_second: 4 });
    assert.deepEqual(sink.problems, []);
  });

  it("records a fal queue run: submit, status polls, and the outcome from the result", async () => {
    const sink = new MemorySink();
    const guard = guardFor(sink);
    const fal = createFalClient({
      credentials: "fal-key-not-recorded",
      fetch: guard.fetch,
      requestMiddleware: (r) => Promise.resolve({ ...r, url: r.url.replace("https://queue.fal.run", fake.urls.fal) }),
    });
    const result = await guard.job("fal-1", () => fal.subscribe("fal-ai/flux/dev", { input: { prompt: "a fal image", num_images: 3 }, pollInterval: 10 }));
    assert.equal((result.data as { images: unknown[] }).images.length, 3);
    await guard.close();
    assert.deepEqual(sequence(sink), ["1 submitted", "1 created", "1 polled", "1 completed succeeded"]);
    const completed = sink.ofType("completed")[0] as { units?: Record<string, unknown> };
    assert.equal(Number(completed.units?.image), 3);
    assert.equal(sink.all()[1]!.request_id, result.requestId);
  });

  it("records each retry an SDK makes on its own as an attempt (record mode, OpenAI retrying 429s)", async () => {
    const storm = await fakeProvider({ rates: { rate_limit: 1 }, retryAfterSeconds: 0 });
    try {
      const sink = new MemorySink();
      const guard = createGuard({ mode: "record", ledger: sink, policies: quickPolicies(), endpoints: storm.endpoints });
      const openai = new OpenAI({ apiKey: "sk-test", baseURL: storm.urls.openai, fetch: guard.fetch, maxRetries: 2 });
      await assert.rejects(openai.images.generate({ model: "gpt-image-1", prompt: "x" }), (e: { status?: number }) => e.status === 429);
      await guard.close();
      assert.deepEqual(sequence(sink), ["1 submitted", "1 rejected 429", "2 submitted", "2 rejected 429", "3 submitted", "3 rejected 429"]);
      assert.equal(new Set(sink.all().map((e) => e.job)).size, 1, "the SDK's retries are attempts of one job");
      assert.equal(storm.stats.creates, 3);
    } finally {
      await storm.close();
    }
  });

  it("produces events the audit reads without problems", async () => {
    const sink = new MemorySink();
    const guard = guardFor(sink);
    const replicate = new Replicate({ auth: SECRET_KEY, baseUrl: fake.urls.replicate, fetch: guard.fetch });
    await guard.job("audited", () => replicate.run("black-forest-labs/flux-schnell", { input: { prompt: "audited" }, wait: { mode: "poll", interval: 10 } }));
    await guard.close();
    const audit = createAudit({ policies: quickPolicies() });
    let line = 0;
    for (const e of sink.events) assert.ok(audit.addValue(JSON.parse(JSON.stringify(e.event)), { file: "guard", line: ++line }));
    const report = audit.finish();
    assert.equal(report.jobs, 1);
    assert.equal(report.succeeded_jobs, 1);
    assert.equal(report.problems.length, 0);
  });
});
