// The fast line scanner must read every field exactly as JSON.parse does, or step aside.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseTimestamp } from "../../src/core/index.js";
import { createEventRecord, LineScanner, type EventRecord } from "../../src/sources/line-scanner.js";

const FIELDS = Object.keys(createEventRecord()).filter((k) => k !== "at") as (keyof EventRecord)[];

const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.constantFrom("replicate", "\uFEFFreplicate", "completed", "2026-11-01T10:00:00Z", "2026-11-01T10:00:00.123456789+02:00", "2026-02-30T10:00:00Z", "2026-11-01T10:00:00", "a\"b", "back\\slash", "é", "line\nbreak"),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e21, 1.5e-7, 12.345678, 429),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.constantFrom("image", "video_second", "megapixel", "__proto__", "x"), fc.oneof(fc.integer({ min: 0, max: 9 }), fc.double({ min: 0, max: 10, noNaN: true }), fc.string())),
  fc.array(fc.integer(), { maxLength: 3 }),
);

const objectArb = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })), valueArb), { maxLength: 12 });

function render(entries: [string, unknown][], ws: string): string {
  return `{${ws}${entries.map(([k, v]) => `${JSON.stringify(k)}${ws}:${ws}${JSON.stringify(v)}`).join(`${ws},${ws}`)}${ws}}`;
}

function check(line: string, scanner = new LineScanner(), r = createEventRecord()): void {
  const buf = Buffer.from(line, "utf8");
  const scanned = scanner.scan(buf, 0, buf.length, r);
  let parsed: unknown;
  try {
    // The slow path parses the decoded bytes (a lone surrogate in `line` is not in them).
    parsed = JSON.parse(buf.toString("utf8"));
  } catch {
    assert.equal(scanned, false, `scanner accepted text JSON.parse refuses: ${line}`);
    return;
  }
  if (!scanned) return;
  assert.ok(typeof parsed === "object" && parsed !== null && !Array.isArray(parsed), line);
  const ts = (parsed as Record<string, unknown>).ts;
  if (typeof ts === "string") {
    const instant = parseTimestamp(ts);
    assert.ok(typeof instant !== "string", `scanner read an invalid ts: ${line}`);
    assert.equal(r.at, instant.micros, line);
  } else assert.ok(Number.isNaN(r.at) || ts === undefined, line);
  for (const f of FIELDS) {
    if (f === "ts") continue;
    const expected: unknown = Object.prototype.hasOwnProperty.call(parsed, f) ? (parsed as Record<string, unknown>)[f] : undefined;
    assert.deepEqual(r[f], expected, `${f} in ${line}`);
  }
}

describe("LineScanner", () => {
  it("reads every field as JSON.parse does, or declines", () => {
    fc.assert(fc.property(objectArb, fc.constantFrom("", " ", "\t", "  "), (entries, ws) => check(render(entries, ws))), { numRuns: 3000 });
  });

  it("declines broken text that JSON.parse refuses", () => {
    fc.assert(
      fc.property(objectArb, fc.nat(), fc.string({ maxLength: 2 }), (entries, at, junk) => {
        const line = render(entries, "");
        const k = at % (line.length + 1);
        check(line.slice(0, k) + junk + line.slice(k));
        check(line.slice(0, k));
      }),
      { numRuns: 3000 },
    );
  });

  it("reads each of many lines as JSON.parse does with one scanner and one record (shared strings, fields left from the line before)", () => {
    // Values that differ in one byte, or only in length, so a cached string is never taken for another.
    const near = fc.constantFrom("replicate", "replicatf", "replicat", "replicate2", "fal", "fbl", "job-1", "job-2", "job-12", "a", "b", "", "polled", "pollee", "é", "ü");
    const lineArb = fc.array(fc.tuple(fc.constantFrom(...FIELDS, "x", "ty", "typ", "types", "request_idx"), fc.oneof(near, valueArb)), { maxLength: 10 });
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 2, maxLength: 12 }), fc.constantFrom("", " "), (lines, ws) => {
        const scanner = new LineScanner();
        const r = createEventRecord();
        for (const entries of lines) check(render(entries, ws), scanner, r);
      }),
      { numRuns: 1500 },
    );
  });

  it("reads many distinct values through one scanner as JSON.parse does (its string caches collide and are replaced)", () => {
    const scanner = new LineScanner();
    const r = createEventRecord();
    for (let i = 0; i < 60_000; i++) {
      const line = JSON.stringify({ ts: "2026-11-01T10:00:00Z", type: i % 3 === 0 ? "polled" : `t${i % 5000}`, provider: `p${(i * 7919) % 20_000}`, model: `m${i % 40_000}`, job: `job-${i % 30_000}`, request_id: `r${(i * 31) % 50_000}`, error: `e${i}` });
      const buf = Buffer.from(line);
      assert.equal(scanner.scan(buf, 0, buf.length, r), true);
      const parsed = JSON.parse(line) as Record<string, unknown>;
      for (const f of ["type", "provider", "model", "job", "request_id", "error"] as const) if (r[f] !== parsed[f]) assert.fail(`${f}: ${String(r[f])} for ${String(parsed[f])} on line ${i}`);
    }
  });

  it("reads a line inside a larger buffer, and declines it cut short anywhere", () => {
    const line = '{"ts":"2026-11-01T10:00:00Z","type":"polled","job":"j"}';
    const buf = Buffer.from(`${line}\n{"ts":"x"}`);
    const r = createEventRecord();
    assert.equal(new LineScanner().scan(buf, 0, line.length, r), true);
    assert.equal(r.job, "j");
    // Cut inside a key or a value: declined, never read past the end.
    for (const cut of [3, 8, 30, line.length - 3, line.length - 1]) assert.equal(new LineScanner().scan(buf, 0, cut, createEventRecord()), false, `cut at ${cut}`);
  });

  it("reads a typical event line on the fast path", () => {
    const line = '{"ts":"2026-11-01T10:00:00.5Z","provider":"fal","model":"fal-ai/flux/dev","job":"j-1","attempt":2,"type":"completed","outcome":"succeeded","run_seconds":3.25,"units":{"megapixel":1.05},"extra":{"a":[1]}}';
    const r = createEventRecord();
    assert.equal(new LineScanner().scan(Buffer.from(line), 0, line.length, r), false); // nested extra: JSON.parse's job
    const simple = line.replace(',"extra":{"a":[1]}', "");
    assert.equal(new LineScanner().scan(Buffer.from(simple), 0, simple.length, r), true);
    assert.deepEqual(r.units, { megapixel: 1.05 });
    assert.equal(r.attempt, 2);
    assert.equal(r.run_seconds, 3.25);
  });
});
