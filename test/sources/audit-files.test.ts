// Reading files: splitting events across files, gzip, byte ranges on worker threads and problem
// line numbers all give the report one in-memory pass gives.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, it } from "node:test";
import fc from "fast-check";
import { auditFiles, defaultThreads } from "../../src/sources/audit-files.js";
import { planTasks } from "../../src/sources/audit-in-workers.js";
import { audit, TEST_POLICY } from "../support/audit.js";
import { randomLog } from "../support/random-log.js";

const policies = [TEST_POLICY, { ...TEST_POLICY, provider: "test2", polls: "unknown" as const }];

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "failcost-files-"));
}

describe("auditFiles", () => {
  const splitRuns = (threads: number, numRuns: number) => async () => {
    await fc.assert(
      fc.asyncProperty(randomLog, fc.integer({ min: 1, max: 4 }), fc.boolean(), async (events, parts, gzip) => {
        const dir = tmp();
        const files: string[] = [];
        for (let k = 0; k < parts; k++) {
          const text = events.filter((_, i) => i % parts === k).map((e) => JSON.stringify(e)).join("\n") + "\n";
          const f = join(dir, `part-${k}.jsonl${gzip && k === 0 ? ".gz" : ""}`);
          writeFileSync(f, gzip && k === 0 ? gzipSync(text) : text);
          files.push(f);
        }
        const expected = audit(events, { policies }).report;
        assert.deepEqual(await auditFiles(files, { policies, threads, pieceBytes: 700 }), expected);
      }),
      { numRuns },
    );
  };

  it("events split across files (plain and gzip) give the report one pass gives", splitRuns(1, 40));
  it("worker threads reading byte ranges give the same report", splitRuns(2, 6));
  it("three threads (each given a first range, then taking ranges from one shared counter) give the same report", splitRuns(3, 3));

  it("problems name the file and the line, also when worker threads read byte ranges", async () => {
    const dir = tmp();
    const good = JSON.stringify({ ts: "2026-11-01T10:00:00Z", provider: "test", model: "test/img", job: "j", attempt: 1, type: "created", request_id: "r" });
    const lines: string[] = [];
    for (let i = 1; i <= 400; i++) lines.push(i % 97 === 0 ? `{"broken": ${i}` : i % 89 === 0 ? JSON.stringify({ type: "created" }) : good);
    const f = join(dir, "events.jsonl");
    writeFileSync(f, `\uFEFF${lines.join("\r\n")}\r\n\n   \n`);
    const expected = [89, 97, 178, 194, 267, 291, 356, 388];
    for (const threads of [1, 2]) {
      const report = await auditFiles([f], { policies, threads, pieceBytes: 1000, displayName: () => "events.jsonl" });
      assert.deepEqual(
        report.problems.map((p) => p.line),
        expected,
        `threads ${threads}`,
      );
      assert.ok(report.problems.every((p) => p.file === "events.jsonl"));
      assert.match(report.problems[0]!.why, /missing field 'ts'/);
      assert.match(report.problems[1]!.why, /^not JSON/);
    }
  });

  it("every thread reads ranges and its problems are numbered as whole-file lines", async () => {
    // A problem on every seventh line: every range, whichever thread reads it, has some.
    const dir = tmp();
    const good = JSON.stringify({ ts: "2026-11-01T10:00:00Z", provider: "test", model: "test/img", job: "j", attempt: 1, type: "created", request_id: "r" });
    const lines = Array.from({ length: 700 }, (_, i) => ((i + 1) % 7 === 0 ? `{"line": ${i + 1}` : good));
    const f = join(dir, "events.jsonl");
    writeFileSync(f, `${lines.join("\n")}\n`);
    const expected = Array.from({ length: 100 }, (_, k) => 7 * (k + 1));
    for (const threads of [2, 3]) {
      const report = await auditFiles([f], { policies, threads, pieceBytes: 2000 });
      assert.deepEqual(
        report.problems.map((p) => p.line),
        expected,
        `threads ${threads}`,
      );
      assert.equal(report.events, 600);
    }
  });

  it("a charge in another currency is a problem at its file and line, the first of two identical ones, whichever thread read it", async () => {
    const dir = tmp();
    const at = (k: number): string => new Date(Date.UTC(2026, 10, 1, 10) + k * 1000).toISOString();
    const lines: string[] = [];
    for (let k = 1; k <= 700; k++) lines.push(JSON.stringify({ ts: at(k), provider: "test", model: "test/img", job: `j${k}`, attempt: 1, type: "created", request_id: `r${k}` }));
    const charge = JSON.stringify({ ts: at(1000), provider: "test", type: "charged", request_id: "r5", amount: "0.7", currency: "EUR" });
    lines[99] = charge; // line 100
    lines[649] = charge; // line 650, the same charge again
    const f = join(dir, "events.jsonl");
    writeFileSync(f, `${lines.join("\n")}\n`);
    for (const threads of [1, 2, 3]) {
      const report = await auditFiles([f], { policies, threads, pieceBytes: 3000, displayName: () => "events.jsonl" });
      const p = report.problems.filter((x) => /not in USD/.test(x.why));
      assert.deepEqual(
        p.map((x) => [x.file, x.line]),
        [["events.jsonl", 100]],
        `threads ${threads}`,
      );
    }
  });

  it("plans a gzip file, a pipe and a small file as whole tasks, and cuts only large plain files", () => {
    const MB = 1024 * 1024;
    const probes = [
      { gzip: true, size: 100 * MB, seekable: true },
      { gzip: false, size: 0, seekable: false },
      { gzip: false, size: 100 * MB, seekable: false },
      { gzip: false, size: 1 * MB, seekable: true },
      { gzip: false, size: 100 * MB, seekable: true },
    ];
    const tasks = planTasks(["a.gz", "pipe", "dev", "small", "big"], probes, 2, (f) => f);
    for (const f of ["a.gz", "pipe", "dev", "small"]) assert.deepEqual(tasks.filter((t) => t.file === f).map((t) => t.range), [undefined], f);
    assert.ok(tasks.filter((t) => t.file === "big").length > 1);
  });

  it("threads by default only where they pay: 48 MB to 1 GiB (memory first above), on 4 cores or more", () => {
    const MB = 1024 * 1024;
    assert.equal(defaultThreads(10 * MB, 8), 1);
    assert.equal(defaultThreads(200 * MB, 2), 1);
    assert.equal(defaultThreads(200 * MB, 3), 1);
    assert.equal(defaultThreads(200 * MB, 4), 4);
    assert.equal(defaultThreads(200 * MB, 16), 4);
    assert.equal(defaultThreads(2048 * MB, 8), 1);
  });

  it("an unreadable file is an error that names it", async () => {
    await assert.rejects(auditFiles([join(tmp(), "nope.jsonl")], { policies }), /cannot read .*nope\.jsonl: no such file/);
    const dir = tmp();
    const bad = join(dir, "bad.jsonl.gz");
    writeFileSync(bad, Buffer.concat([gzipSync("x".repeat(1000)).subarray(0, 20)]));
    await assert.rejects(auditFiles([bad], { policies }), /corrupt gzip data/);
  });
});
