import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { isEventProblem, readEvent } from "../../src/core/index.js";
import { runCli, spawnCli } from "../support/cli.js";
import { fixtureDir } from "./golden.js";

const IMPORT_PROVIDERS = ["replicate", "fal", "openai", "runway", "bfl", "luma"];

describe("failcost import: golden files", () => {
  for (const provider of IMPORT_PROVIDERS) {
    const dir = join(fixtureDir(provider), "import");
    for (const argsFile of readdirSync(dir).filter((f) => f.endsWith(".args.json"))) {
      const name = argsFile.replace(/\.args\.json$/, "");
      const input = readdirSync(dir).find((f) => f.startsWith(`${name}.`) && (f.endsWith(".json") || f.endsWith(".jsonl")) && !f.includes(".args.") && !f.includes(".events."))!;
      it(`imports ${provider}/import/${input} into its golden events and summary`, async () => {
        const args = JSON.parse(readFileSync(join(dir, argsFile), "utf8")) as string[];
        const r = await runCli(["import", provider, input, ...args], dir);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, readFileSync(join(dir, `${name}.events.jsonl`), "utf8"));
        assert.equal(r.stderr, readFileSync(join(dir, `${name}.summary.txt`), "utf8"));
        const lines = r.stdout.trim().split("\n");
        assert.ok(lines.length > 0);
        for (const line of lines) {
          const e = readEvent(JSON.parse(line));
          assert.ok(!isEventProblem(e), `${line}: ${isEventProblem(e) ? e.why : ""}`);
        }
      });
    }
  }
});

describe("failcost import: real-world mess", () => {
  const tmp = mkdtempSync(join(tmpdir(), "failcost-import-"));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const pred = (id: string, extra: object = {}): string =>
    JSON.stringify({ id, model: "acme/m", status: "succeeded", created_at: "2025-01-01T00:00:00Z", completed_at: "2025-01-01T00:00:10Z", metrics: { predict_time: 9.5 }, ...extra });

  it("reads stdin with -, one list response a line", () => {
    const page = JSON.stringify({ next: null, results: [JSON.parse(pred("a")), JSON.parse(pred("b"))] });
    const r = spawnCli(["import", "replicate", "-"], process.cwd(), `${page}\n`);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim().split("\n").length, 6);
    assert.match(r.stderr, /2 objects read, 2 attempts in 2 jobs, 6 events written/);
  });

  it("never writes an outcome it did not see, and keeps unknown fields quiet", async () => {
    const file = join(tmp, "running.jsonl");
    writeFileSync(file, `${JSON.stringify({ id: "r", model: "acme/m", status: "processing", created_at: "2025-01-01T00:00:00Z", shiny_new_field: 1 })}\n`);
    const r = await runCli(["import", "replicate", file]);
    assert.deepEqual(
      r.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { type: string }).type),
      ["submitted", "created"],
    );
    assert.doesNotMatch(r.stderr, /shiny_new_field/);
    assert.match(r.stderr, /still running: 1 provider job/);
  });

  it("numbers the attempts of a --job-from job by time", async () => {
    const file = join(tmp, "retries.jsonl");
    writeFileSync(
      file,
      [
        { job: "j", body: JSON.parse(pred("second", { created_at: "2025-01-01T00:01:00Z", completed_at: "2025-01-01T00:01:10Z" })) },
        { job: "j", body: JSON.parse(pred("first", { status: "failed", error: "boom" })) },
      ]
        .map((o) => JSON.stringify(o))
        .join("\n"),
    );
    const r = await runCli(["import", "replicate", file, "--job-from", "job"]);
    const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { request_id: string; attempt: number; job: string });
    assert.ok(events.every((e) => e.job === "j"));
    assert.deepEqual([...new Set(events.map((e) => `${e.request_id}:${e.attempt}`))], ["first:1", "second:2"]);
  });

  it("writes run seconds and units as the spec's numbers, and an envelope's job names its job", async () => {
    const file = join(tmp, "numbers.jsonl");
    writeFileSync(file, `${JSON.stringify({ job: "hero-9", body: JSON.parse(pred("n", { metrics: { predict_time: 7.75, image_count: 2 } })) })}\n`);
    const r = await runCli(["import", "replicate", file]);
    const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; job: string; run_seconds?: unknown; units?: unknown });
    assert.ok(events.every((e) => e.job === "hero-9"));
    const done = events.find((e) => e.type === "completed")!;
    assert.equal(done.run_seconds, 7.75);
    assert.deepEqual(done.units, { image: 2 });
  });

  it("dates a job that carries no creation time at its earliest time, never after its completion", async () => {
    const file = join(tmp, "images.jsonl");
    const body = { created: 1793613603, data: [{ b64_json: "…" }] }; // 2026-11-02T10:00:03Z
    writeFileSync(file, `${JSON.stringify({ received_at: "2026-11-02T10:00:09Z", headers: { "x-request-id": "req_img2" }, model: "gpt-image-1", body })}\n`);
    const r = await runCli(["import", "openai", file]);
    assert.equal(r.code, 0, r.stderr);
    const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; ts: string });
    const at = (type: string): number => Date.parse(events.find((e) => e.type === type)!.ts);
    assert.ok(at("submitted") <= at("completed"), r.stdout);
    assert.equal(events.find((e) => e.type === "submitted")!.ts, "2026-11-02T10:00:03.000Z");
  });

  it("keeps the units a job asked for, so an unfinished one's high figure counts them", async () => {
    const file = join(tmp, "video.json");
    writeFileSync(file, JSON.stringify({ id: "video_q", object: "video", model: "sora-2", status: "in_progress", seconds: "4", created_at: 1759287600 }));
    const r = await runCli(["import", "openai", file]);
    const submitted = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; units?: unknown }).find((e) => e.type === "submitted")!;
    assert.deepEqual(submitted.units, { video_second: 4 });
  });

  it("says which objects it skipped and why, and --strict fails on them", async () => {
    const file = join(tmp, "mixed.jsonl");
    writeFileSync(file, `${pred("ok")}\n{"detail":"Request was throttled."}\n{not json\n`);
    const r = await runCli(["import", "replicate", file]);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /skipped 1 object: an error response \(detail\), not a prediction.*line 2/);
    assert.match(r.stderr, /skipped 1 object: not JSON .*line 3/);
    const strict = await runCli(["import", "replicate", file, "--strict"]);
    assert.equal(strict.code, 1);
  });

  it("reports contradictions between objects about one job", async () => {
    const file = join(tmp, "conflict.jsonl");
    writeFileSync(file, `${pred("x")}\n${pred("x", { status: "failed", error: "late failure" })}\n`);
    const r = await runCli(["import", "replicate", file]);
    assert.match(r.stderr, /conflict: .*replicate job x reported both succeeded and failed/);
  });

  it("refuses an unknown provider and a missing file with exit 2", async () => {
    assert.equal((await runCli(["import", "acme", "x.json"])).code, 2);
    const r = await runCli(["import", "replicate", join(tmp, "nope.json")]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no such file/);
  });
});
