import { demoJson, renderDemo } from "../../fake-provider/demo/render-demo.js";
import { runDemo } from "../../fake-provider/demo/run-demo.js";
import type { CliIo } from "../io.js";
import { useColor } from "../io.js";
import { parseCount } from "../options.js";
import { createProgressLine } from "../progress.js";

/** The demo command's options, as parsed. */
export interface DemoCommandOptions {
  readonly seed?: string;
  readonly jobs?: string;
  readonly json?: boolean;
  readonly http?: boolean;
}

/**
 * `failcost demo`: the same few hundred jobs against the same misbehaving fake provider, through
 * a naive client and through the guard; prints both audits side by side.
 */
export async function demo(_args: unknown[], raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const o = raw as DemoCommandOptions;
  const seed = parseCount("--seed", o.seed) ?? 42;
  const jobs = parseCount("--jobs", o.jobs, 1) ?? 300;
  const progress = createProgressLine(io);
  progress.update(`running ${jobs} jobs twice on the fake provider (seed ${seed})…`);
  const result = await runDemo({ seed, jobs, http: o.http === true });
  progress.done();
  io.stdout.write(o.json ? `${JSON.stringify(demoJson(result), null, 2)}\n` : renderDemo(result, useColor(io)));
  return 0;
}
