import type { Command } from "commander";
import type { AuditOptions } from "../core/index.js";
import { parseAmount, parseSpan } from "../cli/options.js";
import type { EventInput } from "./event-input.js";

/** The input and filter options that reconcile, forecast and export share, as parsed by commander. */
export interface InputCommandOptions {
  readonly db?: string;
  readonly events?: string[];
  readonly policies?: string[];
  readonly window?: string;
  readonly since?: string;
  readonly until?: string;
  readonly provider?: string;
  readonly model?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(",").filter(Boolean)];

/**
 * Declares `--db`, `--events`, `--policies` and the duplicate window on a command, and the
 * attempt filters (`--since`, `--until`, `--provider`, `--model`) unless `filters` is false.
 */
export function defineInputOptions(cmd: Command, { filters = true }: { filters?: boolean } = {}): Command {
  cmd
    .option("--db <target>", "the ledger: a SQLite file path, or a postgres:// URL")
    .option("--events <files...>", "event files (JSON Lines, .jsonl.gz too) instead of a ledger")
    .option("--policies <path>", "policy file or folder (repeatable; default ./policies, or policies/ beside the first file)", collect)
    .option("--window <minutes>", "duplicate window in minutes", "10");
  if (!filters) return cmd;
  return cmd
    .option("--since <date>", "only attempts that started on or after this date or time")
    .option("--until <date>", "only attempts that started before this date or time")
    .option("--provider <name>", "only this provider")
    .option("--model <name>", "only this model");
}

/** Reads the shared options into the input and the audit's filters. */
export function readInputOptions(opts: InputCommandOptions): { input: EventInput; audit: Omit<AuditOptions, "policies"> } {
  const { sinceMicros, untilMicros } = parseSpan(opts.since, opts.until);
  const windowMinutes = parseAmount("--window", opts.window) ?? 10;
  return {
    input: { ...(opts.db !== undefined ? { db: opts.db } : {}), events: opts.events ?? [] },
    audit: {
      duplicateWindowSeconds: windowMinutes * 60,
      ...(sinceMicros !== undefined ? { sinceMicros } : {}),
      ...(untilMicros !== undefined ? { untilMicros } : {}),
      ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
      ...(opts.model !== undefined ? { model: opts.model } : {}),
    },
  };
}
