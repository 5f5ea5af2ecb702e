// Ingest reads events through the audit's byte scanner: it must give exactly the events (as the
// ledger stores them: identity and body) and the problems that JSON.parse and readEvent give.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { isEventProblem, readEvent } from "../../src/core/index.js";
import { eventRow } from "../../src/ledger/event-row.js";
import { readEvents } from "../../src/sources/read-events.js";
import { generatedFile, tempDir } from "../ledger/ledger-fixtures.js";

type Seen = { line: number; row?: ReturnType<typeof eventRow>; why?: string };

/** What JSON.parse and readEvent make of each line (blank lines skipped). */
function expected(text: string): Seen[] {
  const out: Seen[] = [];
  text.split("\n").forEach((line, k) => {
    if (/^[ \t]*$/.test(line)) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      out.push({ line: k + 1, why: "not JSON" });
      return;
    }
    const r = readEvent(value);
    out.push(isEventProblem(r) ? { line: k + 1, why: r.why } : { line: k + 1, row: eventRow({ event: r.event, micros: r.at.micros }) });
  });
  return out;
}

async function read(path: string): Promise<Seen[]> {
  const out: Seen[] = [];
  await readEvents(path, (e, line, why) => {
    out.push(why !== undefined ? { line, why: why.startsWith("not JSON") ? "not JSON" : why } : { line, row: eventRow(e!) });
  });
  return out;
}

const dir = tempDir();

describe("readEvents", () => {
  it("reads the examples and a generated log exactly as JSON.parse and readEvent do", async () => {
    const { path } = await generatedFile(dir, "generated.jsonl", 5000, 7);
    for (const file of ["examples/events.jsonl", path]) assert.deepEqual(await read(file), expected(await readFile(file, "utf8")), file);
  });

  it("agrees on odd lines: extra fields, nulls, escapes, offsets, nanoseconds, repeated keys, bad values", async () => {
    const base = { ts: "2026-11-01T10:00:00Z", provider: "replicate", model: "m", job: "j", attempt: 1, type: "completed", outcome: "succeeded", run_seconds: 1.5, units: { image: 1 } };
    const lines = [
      JSON.stringify({ ...base, prompt: "a cat", authorization: "Bearer x" }),
      JSON.stringify({ ...base, request_id: null, error: null }),
      JSON.stringify({ ...base, job: "j\u00e9\"\\\n" }),
      JSON.stringify({ ...base, ts: "2026-11-01T12:00:00.123456789+02:00" }),
      JSON.stringify({ ...base, ts: "2026-11-01 10:00:00.5Z" }),
      `${JSON.stringify(base).slice(0, -1)},"attempt":2}`,
      JSON.stringify({ ...base, attempt: 0 }),
      JSON.stringify({ ...base, ts: "2026-02-30T10:00:00Z" }),
      JSON.stringify({ ...base, type: "exploded" }),
      JSON.stringify({ ...base, units: { image: 1, video_second: 2.5 } }),
      JSON.stringify({ ...base, units: [1] }),
      "  ",
      "{not json",
      JSON.stringify({ ts: "2026-11-01T10:00:00Z", type: "charged", provider: "fal", request_id: "r1", amount: "0.10", currency: "USD" }),
    ];
    const path = join(dir, "odd.jsonl");
    writeFileSync(path, lines.join("\n"));
    assert.deepEqual(await read(path), expected(lines.join("\n")));
  });

  it("agrees on random changes to a valid event", async () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.constantFrom("2026-11-01T10:00:00.123+01:00", "succeeded", "failed", "submitted", "rate_limit", "image"), fc.dictionary(fc.constantFrom("image", "video_second"), fc.integer({ min: 0, max: 9 })));
    const key = fc.constantFrom("ts", "type", "provider", "model", "job", "attempt", "request_id", "input_hash", "kind", "units", "http_status", "error", "outcome", "run_seconds", "waited_seconds", "requeued", "amount", "currency", "extra");
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 4 }), async (changes) => {
        const event: Record<string, unknown> = { ts: "2026-11-01T10:00:00Z", provider: "fal", model: "m", job: "j", attempt: 1, type: "submitted", kind: "image", input_hash: "h" };
        for (const [k, v] of changes) event[k] = v;
        const text = JSON.stringify(event);
        const path = join(dir, `random-${++n}.jsonl`);
        writeFileSync(path, text);
        assert.deepEqual(await read(path), expected(text));
      }),
      { numRuns: 300 },
    );
  });
});
