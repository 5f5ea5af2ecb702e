import { formatInstant, type LedgerStats } from "../../core/index.js";
import { UsageError } from "../../errors.js";
import { resolveLedgerTarget } from "../../ledger/ledger-target.js";
import { openLedger } from "../../ledger/open-ledger.js";
import type { CliIo } from "../io.js";
import { parseWhen } from "../options.js";
import { upgradeNotice } from "../upgrade-notice.js";
import { plural } from "../../report/words.js";

/** The ledger command's options, as parsed. */
export interface LedgerCommandOptions {
  readonly db?: string;
  readonly json?: boolean;
  readonly before?: string;
}

function bytesText(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

function statsText(s: LedgerStats, display: string): string {
  const n = (v: number): string => v.toLocaleString("en-US");
  const rows: [string, string][] = [
    ["ledger", display],
    ["events", n(s.events)],
    ["jobs", `${n(s.jobs)} (${plural(s.attempts, "attempt")})`],
  ];
  if (s.firstMicros !== undefined && s.lastMicros !== undefined) {
    rows.push(["from", formatInstant(s.firstMicros)], ["to", formatInstant(s.lastMicros)]);
  }
  if (s.bytes !== undefined) rows.push(["size", `${bytesText(s.bytes)}${s.events > 0 ? ` (${Math.round(s.bytes / s.events)} bytes per event)` : ""}`]);
  return rows.map(([k, v]) => `${k.padEnd(8)}${v}\n`).join("");
}

/**
 * `failcost ledger stats` (events, jobs, date range, size) and `failcost ledger prune --before
 * DATE` (removes jobs whose every event came before the date; jobs straddling it stay whole).
 */
export async function ledger(args: unknown[], raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const opts = raw as LedgerCommandOptions;
  const action = args[0] as string;
  const before = parseWhen("--before", opts.before);
  if (action === "prune" && before === undefined) throw new UsageError("ledger prune needs --before DATE, e.g. --before 2026-01-01");
  if (action === "stats" && before !== undefined) throw new UsageError("--before is for ledger prune");
  const { target, display } = resolveLedgerTarget(opts.db, io.cwd, io.env);
  const opened = await openLedger(target, { create: false, onUpgrade: upgradeNotice(io, opts.db) });
  try {
    if (action === "stats") {
      const s = await opened.stats();
      if (opts.json) {
        const span = s.firstMicros !== undefined ? { first: formatInstant(s.firstMicros), last: formatInstant(s.lastMicros!) } : {};
        io.stdout.write(`${JSON.stringify({ ledger: display, events: s.events, jobs: s.jobs, attempts: s.attempts, ...span, bytes: s.bytes }, null, 2)}\n`);
      } else io.stdout.write(statsText(s, display));
      return 0;
    }
    const r = await opened.prune(before!);
    if (opts.json) io.stdout.write(`${JSON.stringify({ ledger: display, before: formatInstant(before!), events: r.events, jobs: r.jobs }, null, 2)}\n`);
    else io.stdout.write(`removed ${r.events.toLocaleString("en-US")} events of ${r.jobs.toLocaleString("en-US")} jobs from before ${formatInstant(before!)} (jobs that straddle the date stay whole)\n`);
    return 0;
  } finally {
    await opened.close();
  }
}
