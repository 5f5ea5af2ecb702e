import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import { FileError } from "../../src/errors.js";
import { readLines, type LineRange } from "../../src/sources/read-lines.js";

const dir = mkdtempSync(join(tmpdir(), "failcost-read-lines-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Lines of many lengths: short ones, ones near the 1 MB chunk size, and one longer than two chunks. */
function sampleLines(): string[] {
  const lines: string[] = [];
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let k = 0; k < 40_000; k++) lines.push(`{"n":${k},"pad":"${"x".repeat(rand(120))}"}`);
  lines.splice(5_000, 0, "y".repeat(2_500_000));
  lines.splice(20_000, 0, "z".repeat((1 << 20) - 3), "", "  ");
  return lines;
}

async function visitAll(file: string, range?: LineRange): Promise<{ lines: [number, string][]; count: number }> {
  const lines: [number, string][] = [];
  const count = await readLines(file, (buf, start, end, line) => void lines.push([line, buf.toString("latin1", start, end)]), undefined, range);
  return { lines, count };
}

describe("readLines", () => {
  const lines = sampleLines();
  const text = "\uFEFF" + lines.join("\r\n");
  const file = join(dir, "lines.jsonl");
  writeFileSync(file, text);
  const expected = lines.map((l, k) => [k + 1, l] as [number, string]);

  it("visits every line of a file of several chunks exactly, numbered from 1, without BOM or CR", async () => {
    const { lines: got, count } = await visitAll(file);
    assert.equal(count, lines.length);
    assert.equal(got.length, lines.length);
    for (let k = 0; k < got.length; k++) if (got[k]![1] !== expected[k]![1] || got[k]![0] !== expected[k]![0]) assert.deepEqual(got[k], expected[k]);
  });

  it("reads a gzip file to the same lines", async () => {
    const gz = join(dir, "lines.jsonl.gz");
    writeFileSync(gz, gzipSync(Buffer.from(text)));
    const { lines: got } = await visitAll(gz);
    assert.deepEqual(got, expected);
  });

  it("visits each line once when byte ranges tile the file, wherever they are cut", async () => {
    const size = Buffer.byteLength(text);
    const cuts = [0, 1, 2, 3, 4, 1 << 20, (1 << 20) + 1, 2_600_000, 3_333_333, 4_000_000, size];
    const seen: string[] = [];
    for (let k = 0; k + 1 < cuts.length; k++) {
      const { lines: got } = await visitAll(file, { start: cuts[k]!, end: cuts[k + 1]! });
      seen.push(...got.map(([, l]) => l));
    }
    assert.equal(seen.length, lines.length);
    assert.deepEqual(seen, lines);
  });

  it("keeps a line's bytes unchanged while the visitor's promise is pending, and waits for it", async () => {
    let checked = 0;
    let inFlight = false;
    await readLines(file, (buf, start, end, line) => {
      assert.equal(inFlight, false);
      if (line % 997 !== 0) return;
      const before = buf.toString("latin1", start, end);
      inFlight = true;
      return new Promise<void>((resolve) =>
        setImmediate(() => {
          assert.equal(buf.toString("latin1", start, end), before);
          assert.equal(before, lines[line - 1]);
          inFlight = false;
          checked++;
          resolve();
        }),
      );
    });
    assert.equal(checked, Math.floor(lines.length / 997));
  });

  it("reports progress up to the file's size", async () => {
    const seen: number[] = [];
    await readLines(file, () => undefined, (read, size) => {
      assert.equal(size, Buffer.byteLength(text));
      seen.push(read);
    });
    assert.deepEqual([...seen].sort((a, b) => a - b), seen);
    assert.equal(seen.at(-1), Buffer.byteLength(text));
  });

  it("a read that fails while the visitor waits is a file error naming the file, not a crash", async () => {
    // A failing disk cannot be had for real here: the file handle's read fails from its third call
    // (the read ahead, while the visitor's promise for the first line is pending).
    const probe = await open(file, "r");
    const proto = Object.getPrototypeOf(probe) as { read: (...a: unknown[]) => Promise<unknown> };
    await probe.close();
    const read = proto.read;
    let calls = 0;
    proto.read = function (this: unknown, ...args: unknown[]) {
      return ++calls >= 3 ? Promise.reject(Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" })) : read.apply(this, args);
    };
    try {
      await assert.rejects(
        readLines(file, (_b, _s, _e, line) => (line === 1 ? sleep(50) : undefined), undefined, undefined, "events.jsonl"),
        (e) => e instanceof FileError && /cannot read events\.jsonl: EIO/.test(e.message),
      );
    } finally {
      proto.read = read;
    }
  });

  it("closes a gzip file when reading stops early", async () => {
    if (!existsSync("/proc/self/fd")) return;
    const gz = join(dir, "stop.jsonl.gz");
    writeFileSync(gz, gzipSync(Buffer.from(text)));
    const open0 = readdirSync("/proc/self/fd").length;
    for (let k = 0; k < 5; k++) await assert.rejects(readLines(gz, (_b, _s, _e, line) => assert.notEqual(line, 5)));
    await sleep(20);
    assert.ok(readdirSync("/proc/self/fd").length <= open0, "a gzip file was left open");
  });

  it("reads a pipe (as `<(zcat …)` gives one) once from the start, plain or gzip", async () => {
    for (const [k, bytes] of [Buffer.from(text), gzipSync(Buffer.from(text))].entries()) {
      const fifo = join(dir, `pipe-${k}`);
      execFileSync("mkfifo", [fifo]);
      // The writer opens the pipe once the reader does, and writes in small pieces.
      const writer = (async () => {
        const h = await open(fifo, "w");
        for (let at = 0; at < bytes.length; at += 65_536) await h.write(bytes.subarray(at, Math.min(bytes.length, at + 65_536)));
        await h.close();
      })();
      const [{ lines: got, count }] = await Promise.all([visitAll(fifo), writer]);
      assert.equal(count, lines.length);
      assert.deepEqual(got, expected);
      await assert.rejects(readLines(fifo, () => undefined, undefined, { start: 0, end: 10 }), /cannot read part of .*: it is a pipe or a device/);
    }
  });

  it("passes on the visitor's own error, and names an unreadable file", async () => {
    const boom = new Error("boom");
    await assert.rejects(
      readLines(file, (_b, _s, _e, line) => {
        if (line === 30_000) throw boom;
      }),
      (e) => e === boom,
    );
    await assert.rejects(readLines(join(dir, "missing.jsonl"), () => undefined, undefined, undefined, "missing.jsonl"), (e) => e instanceof FileError && /cannot read missing\.jsonl/.test(e.message));
  });
});
