// The audit's speed: seeded synthetic logs of 1M and 10M events, audited by the built CLI, beside
// a DuckDB group-by over the same file. Each command runs as a whole process under
// /usr/bin/time (wall seconds, peak resident memory); figures are medians of --runs (default 3).
//   npm run bench -- audit [--sizes 1000000,10000000] [--runs 3] [--threads auto,2] [--pair]
// --pair also runs two one-thread audits of the 1M log at once beside one alone: what a second
// core gives two independent processes on this machine, the most threads can gain.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BenchSection } from "../run.js";
import { writeEventsFile } from "../generate-events.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const out = `${root}bench/out/`;

function flag(args: readonly string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

/** Wall seconds and peak memory (MB) of one command, by /usr/bin/time. */
function timed(cmd: string[]): { seconds: number; peakMb: number } {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", ...cmd], { cwd: root, encoding: "utf8", stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 26 });
  const last = r.stderr.trim().split("\n").pop() ?? "";
  const [s, kb] = last.split(" ").map(Number);
  if (r.status !== 0 || !Number.isFinite(s)) throw new Error(`${cmd.join(" ")} failed: ${r.stderr.slice(-500)}`);
  return { seconds: s!, peakMb: kb! / 1024 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** A cached synthetic log of about `events` events (seed 1). */
export async function syntheticLog(events: number): Promise<string> {
  mkdirSync(out, { recursive: true });
  const file = `${out}events-${events}.jsonl`;
  if (!existsSync(file)) {
    process.stdout.write(`generating ${file.slice(root.length)} …\n`);
    await writeEventsFile(file, { events, seed: 1 });
  }
  return file;
}

/** One row of the table: failcost with `threads` and DuckDB on the same log, medians of `runs`. */
async function measure(n: number, threads: string, runs: number): Promise<string> {
  const file = await syntheticLog(n);
  const mb = statSync(file).size / 1e6;
  const ours: { seconds: number; peakMb: number }[] = [];
  const theirs: { seconds: number; peakMb: number }[] = [];
  for (let k = 0; k < runs; k++) {
    ours.push(timed([process.execPath, "bin/failcost.js", "audit", "--json", "--policies", "examples/policies", ...(threads === "auto" ? [] : ["--threads", threads]), file]));
    theirs.push(timed([process.execPath, "--import", "tsx", "bench/duckdb-group-by.ts", file]));
  }
  const s = median(ours.map((r) => r.seconds));
  const d = median(theirs.map((r) => r.seconds));
  const peak = median(ours.map((r) => r.peakMb));
  const duckPeak = median(theirs.map((r) => r.peakMb));
  return `| ${n.toLocaleString("en-US")} | ${threads} | ${mb.toFixed(0)} | ${s.toFixed(2)} | ${Math.round(n / s).toLocaleString("en-US")} | ${peak.toFixed(0)} | ${d.toFixed(2)} | ${duckPeak.toFixed(0)} | ${(s / d).toFixed(2)} |`;
}

/** Wall seconds of one command, or of two copies started together (the later to finish). */
async function together(cmd: string[], copies: number): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: copies }, () => new Promise<void>((resolve, reject) => {
      const child = spawn(cmd[0]!, cmd.slice(1), { cwd: root, stdio: "ignore" });
      child.on("error", reject);
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd.join(" ")} exited with ${code}`))));
    })),
  );
  return (performance.now() - started) / 1000;
}

/** One audit alone, then two at once, alternating, medians of `runs`. */
async function pair(runs: number): Promise<void> {
  const file = await syntheticLog(1_000_000);
  const cmd = [process.execPath, "bin/failcost.js", "audit", "--json", "--threads", "1", "--policies", "examples/policies", file];
  const one: number[] = [];
  const two: number[] = [];
  for (let k = 0; k < runs; k++) {
    one.push(await together(cmd, 1));
    two.push(await together(cmd, 2));
  }
  const a = median(one);
  const b = median(two);
  console.log(`\nOne-thread audits of the 1M log: one alone ${a.toFixed(2)} s; two at once ${b.toFixed(2)} s (both done): ${((2 * a) / b).toFixed(2)}× the throughput of one.`);
}

export const section: BenchSection = {
  name: "audit: events/s and peak memory, beside a DuckDB group-by",
  async run(args) {
    if (!existsSync(`${root}dist/cli/main.js`)) throw new Error("build first: npm run build");
    const sizes = flag(args, "sizes", "1000000,10000000").split(",").map(Number);
    const runs = Number(flag(args, "runs", "3"));
    const threadChoices = flag(args, "threads", "auto,2").split(",");
    console.log("| events | threads | file MB | failcost s | events/s | peak MB | DuckDB s | DuckDB peak MB | failcost / DuckDB time |");
    console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const n of sizes) for (const threads of threadChoices) console.log(await measure(n, threads, runs));
    if (args.includes("--pair")) await pair(runs);
  },
};
