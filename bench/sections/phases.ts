// The one-thread audit of the 1M-event log in its two phases, in one process: reading (lines
// scanned, checked and folded into the attempt table, as `feedFile` does) and the analysis
// (`finish`: judging, pricing, tallies, the report). In-process (performance.now); medians of
// --runs (default 5), each run a fresh audit.
//   npm run bench -- phases [--runs 5]
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createAudit } from "../../src/core/index.js";
import { loadPolicies } from "../../src/policies/load-policies.js";
import { feedFile } from "../../src/sources/feed-file.js";
import type { BenchSection } from "../run.js";
import { syntheticLog } from "./audit.js";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export const section: BenchSection = {
  name: "phases: reading and analysis of the one-thread audit, in-process",
  async run(args) {
    const i = args.indexOf("--runs");
    const runs = i >= 0 ? Number(args[i + 1]) : 5;
    const file = await syntheticLog(1_000_000);
    const dir = "examples/policies";
    const policies = await loadPolicies(readdirSync(dir).map((f) => join(dir, f)));
    const read: number[] = [];
    const analysis: number[] = [];
    let lines = 0;
    for (let k = 0; k < runs; k++) {
      const audit = createAudit({ policies });
      const t0 = performance.now();
      lines = await feedFile(audit, file, file);
      const t1 = performance.now();
      audit.finish();
      read.push(t1 - t0);
      analysis.push(performance.now() - t1);
    }
    const r = median(read);
    const a = median(analysis);
    console.log("| phase | ms | lines/s |");
    console.log("| --- | --- | --- |");
    console.log(`| read, check and fold | ${r.toFixed(0)} | ${Math.round((lines * 1000) / r).toLocaleString("en-US")} |`);
    console.log(`| analysis (finish) | ${a.toFixed(0)} | |`);
    console.log(`\n${lines.toLocaleString("en-US")} lines; medians of ${runs} runs, each a fresh audit in one process (later runs are warmer).`);
  },
};
