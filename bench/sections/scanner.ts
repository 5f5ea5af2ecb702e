// The line scanner alone: the 1M-event log (the audit section's) read in 1 MB chunks and split
// into lines, then the same with every line read by one LineScanner into one reused record, as
// the audit reads it. In-process (performance.now); medians of --runs (default 3).
//   npm run bench -- scanner [--runs 3]
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { createEventRecord, LineScanner } from "../../src/sources/line-scanner.js";
import type { BenchSection } from "../run.js";
import { syntheticLog } from "./audit.js";

/** Milliseconds to split `file` into lines, and (with `scan`) read each with the scanner; lines and lines read. */
function pass(file: string, scan: boolean): { ms: number; lines: number; scanned: number } {
  const fd = openSync(file, "r");
  const buf = Buffer.allocUnsafe(1 << 20);
  const scanner = new LineScanner();
  const record = createEventRecord();
  let carry = 0;
  let lines = 0;
  let scanned = 0;
  const started = performance.now();
  try {
    for (;;) {
      const n = readSync(fd, buf, carry, buf.length - carry, null);
      if (n === 0) break;
      const end = carry + n;
      let from = 0;
      for (let nl = buf.indexOf(10, 0); nl !== -1 && nl < end; nl = buf.indexOf(10, from)) {
        lines++;
        if (scan && scanner.scan(buf, from, nl, record)) scanned++;
        from = nl + 1;
      }
      buf.copy(buf, 0, from, end);
      carry = end - from;
    }
  } finally {
    closeSync(fd);
  }
  return { ms: performance.now() - started, lines, scanned };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export const section: BenchSection = {
  name: "scanner: the line scanner alone over the 1M-event log",
  async run(args) {
    const i = args.indexOf("--runs");
    const runs = i >= 0 ? Number(args[i + 1]) : 3;
    const file = await syntheticLog(1_000_000);
    const mb = statSync(file).size / 1e6;
    const split: number[] = [];
    const scan: number[] = [];
    let last = { ms: 0, lines: 0, scanned: 0 };
    for (let k = 0; k < runs; k++) {
      split.push(pass(file, false).ms);
      last = pass(file, true);
      scan.push(last.ms);
    }
    const s = median(split);
    const t = median(scan);
    console.log("| pass | ms | MB/s | lines/s |");
    console.log("| --- | --- | --- | --- |");
    console.log(`| read and split into lines | ${s.toFixed(0)} | ${((mb * 1000) / s).toFixed(0)} | ${Math.round((last.lines * 1000) / s).toLocaleString("en-US")} |`);
    console.log(`| and scan every line | ${t.toFixed(0)} | ${((mb * 1000) / t).toFixed(0)} | ${Math.round((last.lines * 1000) / t).toLocaleString("en-US")} |`);
    console.log(`\n${last.lines.toLocaleString("en-US")} lines, ${last.scanned.toLocaleString("en-US")} read by the scanner (the rest go to JSON.parse); medians of ${runs} runs.`);
  },
};
