import { Option, type Command } from "commander";
import { defineInputOptions } from "../reconcile/input-options.js";
import type { CliIo } from "./io.js";

/** A command's function: positional arguments, parsed options, where to write; returns the exit code. */
export type CommandRun = (args: unknown[], options: Record<string, unknown>, io: CliIo) => Promise<number>;

/** One row of the command table. */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** Declares the command's arguments and options. */
  readonly define: (cmd: Command) => void;
  /** Loads the command's module only when it runs. */
  readonly load: () => Promise<CommandRun>;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(",").filter(Boolean)];

/** Every failcost command. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "audit",
    summary: "what failures, retries, timeouts and duplicates cost: billed, useful, waste by cause",
    define: (cmd) =>
      cmd
        .argument("[files...]", "event files (JSON Lines, .jsonl.gz too), and billing charges")
        .option("--policies <path>", "policy file or folder (repeatable; default ./policies, or policies/ beside the first file)", collect)
        .option("--json", "print the report as JSON (spec §6)")
        .addOption(new Option("--by <dimension>", "breakdowns to show: provider, model, day (repeatable)").argParser(collect))
        .option("--strict", "exit 1 if any line or price is a problem")
        .option("--window <minutes>", "duplicate window in minutes", "10")
        .option("--since <date>", "only attempts that started on or after this date or time")
        .option("--until <date>", "only attempts that started before this date or time")
        .option("--provider <name>", "only this provider")
        .option("--model <name>", "only this model")
        .option("--top <n>", "how many of the most wasteful jobs to list", "10")
        .option("--threads <n>", "worker threads for big inputs (default: one per core, up to 4)")
        .option("--no-progress", "no progress line on stderr"),
    load: async () => (await import("./commands/audit.js")).audit,
  },
  {
    name: "export",
    summary: "billed cost per attempt as FOCUS 1.3 CSV (export focus), or the raw events as JSON Lines (export events)",
    define: (cmd) =>
      defineInputOptions(cmd.argument("<format>", "focus or events"))
        .option("--out <file>", "write to this file (atomically) instead of stdout")
        .option("--metadata <file>", "focus: also write the FOCUS schema metadata (JSON) here")
        .option("--account <id>", "focus: BillingAccountId to write (default: the provider's name)")
        .option("--strict", "exit 1 if any input line is a problem"),
    load: async () => (await import("./commands/export.js")).exportCommand,
  },
  {
    name: "reconcile",
    summary: "the provider's bill against the ledger by request id: matched, mismatches, charged failures and duplicates, unknown and missing charges",
    define: (cmd) =>
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
        .option("--charges-out <file>", "also write the reconciled charges as charged events (JSON Lines) to this file"),
    load: async () => (await import("./commands/reconcile.js")).reconcile,
  },
  {
    name: "forecast",
    summary: "what N jobs will cost and waste, from a small trial, under retry strategies side by side",
    define: (cmd) =>
      defineInputOptions(cmd)
        .option("--jobs <n>", "how many jobs to forecast", "1000")
        .option("--compare <strategies...>", 'strategies beside the trial\'s own, e.g. "retries=3,backoff=full" "retries=0" "poll=webhook" "timeout=60,cancel"')
        .option("--seed <seed>", "random seed: the same seed gives the same forecast (default: a fresh one, printed)")
        .option("--runs <n>", "parameter draws to simulate", "100")
        .option("--json", "print the forecast as JSON"),
    load: async () => (await import("./commands/forecast.js")).forecastCommand,
  },
];
