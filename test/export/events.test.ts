import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ACME_EVENTS, makeWorkspace, run } from "../reconcile/fixture.js";

const lines = (text: string): unknown[] => text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as unknown);

describe("export events", () => {
  it("writes the raw events as JSON Lines, unknown fields kept", async () => {
    const extra = { ...ACME_EVENTS[0], custom_field: "kept" };
    const dir = makeWorkspace({}, [extra, ...ACME_EVENTS.slice(1)]);
    const r = await run(dir, "export", "events", "--events", "events.jsonl");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [extra, ...ACME_EVENTS.slice(1)]);
    assert.match(r.stderr, /exported 22 events/);
  });

  it("reports bad lines with file and line, and fails with --strict", async () => {
    const dir = makeWorkspace();
    writeFileSync(join(dir, "bad.jsonl"), `${JSON.stringify(ACME_EVENTS[0])}\n{not json\n${JSON.stringify({ ...ACME_EVENTS[1], type: "exploded" })}\n`);
    const r = await run(dir, "export", "events", "--events", "bad.jsonl");
    assert.equal(r.code, 0);
    assert.equal(lines(r.stdout).length, 1);
    assert.match(r.stderr, /bad\.jsonl:2: not JSON/);
    assert.match(r.stderr, /bad\.jsonl:3: .*exploded/);
    const strict = await run(dir, "export", "events", "--events", "bad.jsonl", "--strict", "--out", "x.jsonl");
    assert.equal(strict.code, 1);
  });

  it("selects whole jobs by attempt start and keeps their charges", async () => {
    const charge = { type: "charged", ts: "2026-11-02T00:00:00Z", provider: "acme", request_id: "r5", amount: "0.02", currency: "USD" };
    const other = { ...charge, request_id: "r1" };
    const dir = makeWorkspace({}, [charge, other, ...ACME_EVENTS]);
    const r = await run(dir, "export", "events", "--events", "events.jsonl", "--since", "2026-11-01T10:04:00Z", "--until", "2026-11-01T10:05:00Z", "--out", "sel.jsonl");
    assert.equal(r.code, 0, r.stderr);
    const got = lines(readFileSync(join(dir, "sel.jsonl"), "utf8")) as { job?: string; type: string; request_id?: string }[];
    assert.deepEqual(new Set(got.filter((e) => e.type !== "charged").map((e) => e.job)), new Set(["j3"]));
    assert.equal(got.filter((e) => e.job === "j3").length, 3);
    assert.deepEqual(got.filter((e) => e.type === "charged").map((e) => e.request_id), ["r5"]);
  });

  it("refuses a run without input, or with both inputs", async () => {
    const dir = makeWorkspace();
    assert.equal((await run(dir, "export", "events")).code, 2);
    assert.equal((await run(dir, "export", "events", "--events", "events.jsonl", "--db", "x.db")).code, 2);
    assert.equal((await run(dir, "export", "csv", "--events", "events.jsonl")).code, 2);
  });
});
