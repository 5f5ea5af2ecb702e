// Writes examples/events.jsonl: a realistic log of a few hundred jobs across five providers
// (image and video) that shows every failure type, cause and pattern. Deterministic; rerun with
//   node --import tsx scripts/make-examples.ts
// Some timestamps are written with offsets and microseconds, as real logs mix them.
import { writeFileSync } from "node:fs";
import { generateEventLines } from "../bench/generate-events.js";

const SEED = Number(process.argv[2] ?? 23);

function reformat(line: string, k: number): string {
  if (k % 7 !== 3) return line;
  return line.replace(/"ts":"(\d{4}-\d\d-\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3})Z"/, (_m, d: string, h: string, mi: string, s: string, ms: string) => {
    const hour = (Number(h) + 1) % 24;
    // Same instant, written as +01:00 with microseconds (ignoring the rare day roll-over by keeping UTC there).
    return hour === 0 ? `"ts":"${d}T${h}:${mi}:${s}.${ms}000Z"` : `"ts":"${d}T${String(hour).padStart(2, "0")}:${mi}:${s}.${ms}000+01:00"`;
  });
}

const lines: string[] = [];
const gen = generateEventLines({ events: 5200, seed: SEED, jobGapMs: 40_000, chargedShare: 0.2 });
for (let n = gen.next(); !n.done; n = gen.next()) lines.push(reformat(n.value, lines.length));
writeFileSync(new URL("../examples/events.jsonl", import.meta.url), `${lines.join("\n")}\n`);
process.stderr.write(`${lines.length} events\n`);
