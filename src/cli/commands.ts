import { Argument, Option, type Command } from "commander";
import { defineDemo, defineFakeProvider } from "../fake-provider/command-options.js";
import { defineExport, defineForecast, defineReconcile } from "../reconcile/command-options.js";
import { defineServe } from "../server/serve-options.js";
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
        .argument("[files...]", "event files (JSON Lines, .jsonl.gz too), and billing charges; - for stdin")
        .option("--policies <path>", "policy file or folder (repeatable; default ./policies, or policies/ beside the first file)", collect)
        .option("--json", "print the report as JSON (spec §6)")
        .option("--html <file>", "also write the report as one self-contained HTML file (charts, job timelines)")
        .addOption(new Option("--by <dimension>", "breakdowns to show: provider, model, day (repeatable)").argParser(collect))
        .option("--strict", "exit 1 if any line or price is a problem")
        .option("--window <minutes>", "duplicate window in minutes", "10")
        .option("--since <date>", "only attempts that started on or after this date or time")
        .option("--until <date>", "only attempts that started before this date or time")
        .option("--provider <name>", "only this provider")
        .option("--model <name>", "only this model")
        .option("--top <n>", "how many of the most wasteful jobs to list", "10")
        .option("--threads <n>", "threads to read with (default: one per core, up to 4, for inputs of 48 MB to 1 GiB on 4 cores or more; one otherwise)")
        .option("--db <ledger>", "audit the ledger instead of files (an SQLite file or postgres:// URL)")
        .option("--no-progress", "no progress line on stderr"),
    load: async () => (await import("./commands/audit.js")).audit,
  },
  {
    name: "ingest",
    summary: "add event files to the ledger, once: events already there are not added again",
    define: (cmd) =>
      cmd
        .argument("<files...>", "event files (JSON Lines, .jsonl.gz too); - for stdin")
        .option("--db <ledger>", "SQLite file or postgres://…?schema=name URL (default $FAILCOST_DB, else ./failcost.db)")
        .option("--json", "print the counts as JSON")
        .option("--strict", "ingest nothing (exit 1) if any line is a problem")
        .addOption(new Option("--batch <n>", "events per transaction").default("10000").hideHelp())
        .option("--no-progress", "no progress line on stderr"),
    load: async () => (await import("./commands/ingest.js")).ingest,
  },
  {
    name: "ledger",
    summary: "the ledger's size and span (stats), or remove old jobs (prune --before DATE)",
    define: (cmd) =>
      cmd
        .addArgument(new Argument("<action>", "stats or prune").choices(["stats", "prune"]))
        .option("--db <ledger>", "SQLite file or postgres://…?schema=name URL (default $FAILCOST_DB, else ./failcost.db)")
        .option("--before <date>", "prune: remove jobs whose every event came before this date or time")
        .option("--json", "print as JSON"),
    load: async () => (await import("./commands/ledger.js")).ledger,
  },
  {
    name: "policies",
    summary: "the cost review's checklist by provider; policies show <provider>; policies check <file>",
    define: (cmd) =>
      cmd
        .argument("[action]", "show <provider> | check <file> (default: the checklist table)")
        .argument("[target]", "the provider to show, or the policy file to check")
        .option("--policies <path>", "your policy file or folder, over the shipped ones (repeatable; default ./policies)", collect)
        .option("--json", "print JSON")
        .option("--yaml", "with show: print the policy file itself (a start for your own)"),
    load: async () => (await import("./commands/policies.js")).policiesCommand,
  },
  {
    name: "import",
    summary: "a provider's job objects (list responses, webhook bodies) as events: failcost import replicate predictions.json > events.jsonl",
    define: (cmd) =>
      cmd
        .argument("<provider>", "replicate, fal, openai, runway, bfl, luma (or stability, vertex)")
        .argument("<file>", "the objects: JSON, JSON Lines, or - for stdin")
        .option("--model <name>", "the model of every object (overrides what they say; needed where they do not name it)")
        .option("--job-from <field>", "a dotted field naming the job (e.g. input.job_id); attempts of a job are numbered by time")
        .option("--strict", "exit 1 if any object could not be imported"),
    load: async () => (await import("./commands/import.js")).importCommand,
  },
  { name: "export", summary: "billed cost per attempt as FOCUS 1.3 CSV (export focus), or the raw events as JSON Lines (export events)", define: defineExport, load: async () => (await import("./commands/export.js")).exportCommand },
  { name: "reconcile", summary: "the provider's bill against the ledger by request id: matched, mismatches, charged failures and duplicates, unknown and missing charges", define: defineReconcile, load: async () => (await import("./commands/reconcile.js")).reconcile },
  { name: "forecast", summary: "what N jobs will cost and waste, from a small trial, under retry strategies side by side", define: defineForecast, load: async () => (await import("./commands/forecast.js")).forecastCommand },
  { name: "fake-provider", summary: "serve Replicate-, fal- and OpenAI-shaped fake APIs on 127.0.0.1, failing as asked (for tests and demos)", define: defineFakeProvider, load: async () => (await import("./commands/fake-provider.js")).fakeProvider },
  { name: "demo", summary: "the same jobs through a naive client and through the guard, against the fake provider: what the guard saves", define: defineDemo, load: async () => (await import("./commands/demo.js")).demo },
  { name: "serve", summary: "a local dashboard over the ledger, kept current as events arrive", define: defineServe, load: async () => (await import("./commands/serve.js")).serve },
];
