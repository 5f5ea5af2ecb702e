// `npm run bench`: runs every section in bench/sections/ (or those named on the command line)
// and prints their figures. Sections are benchmarks, not timed tests: read the numbers.
import { readdirSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";

/** One benchmark section: a name and a run that prints its own figures. */
export interface BenchSection {
  readonly name: string;
  run(args: readonly string[]): Promise<void>;
}

const dir = fileURLToPath(new URL("./sections/", import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".ts"))
  .sort()
  .filter((f) => wanted.length === 0 || wanted.includes(basename(f, ".ts")));
for (const f of files) {
  const mod = (await import(new URL(`./sections/${f}`, import.meta.url).href)) as { section: BenchSection };
  console.log(`\n## ${mod.section.name}\n`);
  await mod.section.run(process.argv.slice(2));
}
