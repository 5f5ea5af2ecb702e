import { randomInt } from "node:crypto";
import { AS_IN_TRIAL, createPrng, createTrialCollector, forecast, parseStrategy, type Strategy } from "../../core/forecast/index.js";
import { UsageError } from "../../errors.js";
import { auditInput, checkInput } from "../../reconcile/event-input.js";
import { readInputOptions, type InputCommandOptions } from "../../reconcile/input-options.js";
import { renderForecast } from "../../report/forecast-text.js";
import { EXTRA_SNAPSHOTS } from "../../server/ledger-snapshots.js";
import type { CliIo } from "../io.js";
import { parseCount } from "../options.js";
import { upgradeNotice } from "../upgrade-notice.js";
import { modelLabel } from "../../report/model-label.js";

/** The forecast command's options, as parsed. */
export interface ForecastCommandOptions extends InputCommandOptions {
  readonly jobs?: string;
  readonly compare?: string[];
  readonly seed?: string;
  readonly runs?: string;
  readonly json?: boolean;
}

/** `failcost forecast --jobs N --compare STRATEGY…`: what N jobs will cost, from a small trial, under each strategy. */
export async function forecastCommand(_args: unknown[], raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const opts = raw as ForecastCommandOptions;
  const read = readInputOptions(opts);
  const audit = read.audit;
  const input = checkInput(read.input, `failcost forecast --db failcost.db --jobs 100000 --compare "retries=3,backoff=full" "retries=0"`, io);
  const jobs = parseCount("--jobs", opts.jobs ?? "1000", 1)!;
  const runs = parseCount("--runs", opts.runs, 2) ?? 100;
  const strategies: Strategy[] = [AS_IN_TRIAL];
  for (const text of opts.compare ?? []) {
    const s = parseStrategy(text);
    if (typeof s === "string") throw new UsageError(`--compare ${JSON.stringify(text)}: ${s}`);
    strategies.push(s);
  }
  // Without --seed a fresh one is drawn and printed, so any run can be repeated exactly.
  const seed = opts.seed ?? String(randomInt(1, 2 ** 31));
  const collector = createTrialCollector(createPrng(`${seed}/trial`));
  let currency = "USD";
  const { policies, ledger } = await auditInput(input, { cwd: io.cwd, ...(opts.policies ? { policies: opts.policies } : {}), audit, keepLedgerOpen: true, onUpgrade: upgradeNotice(io, input.db) }, (attempts, scale, cur) => {
    currency = cur;
    collector.add(attempts, scale);
  });
  try {
    if (collector.groups.size === 0) throw new UsageError("the input has no attempts to learn from (check --since/--until/--provider/--model)");
    const result = forecast(collector, policies, currency, { jobs, runs, strategies }, () => createPrng(seed));
    if (result.strategies.length === 0) {
      // No forecast to print: the error names each group and why it was left out.
      const why = result.trial.map((g) => `${modelLabel(g.provider, g.model)}: ${g.skipped ?? "left out"}`);
      throw new UsageError(`nothing to simulate: no provider and model of the trial has a policy with prices (give your prices with --policies DIR; see failcost policies show PROVIDER --yaml)\n  ${why.join("\n  ")}`);
    }
    if (opts.json) io.stdout.write(`${JSON.stringify({ seed, ...result }, null, 2)}\n`);
    else io.stdout.write(renderForecast(result, seed));
    // The dashboard shows the last forecast stored beside the ledger's events.
    await ledger?.writeSnapshot(EXTRA_SNAPSHOTS.forecast, JSON.stringify({ seed, ...result }));
    return 0;
  } finally {
    await ledger?.close();
  }
}
