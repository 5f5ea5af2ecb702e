import type { Command } from "commander";
import { defineInputOptions } from "./input-options.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `export <format>`'s arguments and options. */
export function defineExport(cmd: Command): void {
  defineInputOptions(cmd.argument("<format>", "focus or events"))
    .option("--out <file>", "write to this file (atomically) instead of stdout")
    .option("--metadata <file>", "focus: also write the FOCUS schema metadata (JSON) here")
    .option("--account <id>", "focus: BillingAccountId to write (default: the provider's name)")
    .option("--strict", "exit 1 if any input line is a problem");
}

/** `reconcile`'s options. */
export function defineReconcile(cmd: Command): void {
  defineInputOptions(cmd, { filters: false })
    .requiredOption("--invoice <file>", "the bill: CSV, FOCUS CSV, JSON or JSON Lines with a request id and an amount per row")
    .option("--map <field=column>", "name the bill's columns: id, amount, currency, time, provider, model (repeatable, comma-separated)", collect)
    .option("--currency <code>", "the currency of a bill without a currency column")
    .option("--provider <name>", "the provider the bill is from (default: as its rows say, else as its request ids match)")
    .option("--since <date>", "the period the bill covers starts (default: the first day of its rows)")
    .option("--until <date>", "the period the bill covers ends, exclusive (default: the day after its last row)")
    .option("--tolerance <amount|percent>", "how far a charge may be from the estimate and still match: 0.001, 1%, or 0.001,1%", "1%")
    .option("--fail-over <amount>", "exit 1 when the unexplained difference is over this amount (for CI)")
    .option("--json", "print the reconciliation as JSON")
    .option("--dry-run", "with --db: do not write the charges to the ledger")
    .option("--charges-out <file>", "also write the reconciled charges as charged events (JSON Lines) to this file");
}

/** `forecast`'s options. */
export function defineForecast(cmd: Command): void {
  defineInputOptions(cmd)
    .option("--jobs <n>", "how many jobs to forecast", "1000")
    .option("--compare <strategies...>", 'strategies beside the trial\'s own, e.g. "retries=3,backoff=full" "retries=0" "poll=webhook" "timeout=60,cancel"')
    .option("--seed <seed>", "random seed: the same seed gives the same forecast (default: a fresh one, printed)")
    .option("--runs <n>", "parameter draws to simulate", "100")
    .option("--json", "print the forecast as JSON");
}
