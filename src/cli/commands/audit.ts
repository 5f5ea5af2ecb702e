import { resolve } from "node:path";
import type { AttemptVisitor, AuditOptions, Report } from "../../core/index.js";
import { StrictError, UsageError } from "../../errors.js";
import { auditLedger } from "../../ledger/audit-ledger.js";
import { resolveLedgerTarget } from "../../ledger/ledger-target.js";
import { isPostgresTarget, openLedger } from "../../ledger/open-ledger.js";
import { ledgerJobEvents, startAuditHtml, type AuditHtml } from "../../report/html/audit-html.js";
import { SDK_RETRY_RULES } from "../../providers/sdk-retry-rules.js";
import { renderTerminalReport, type Dimension } from "../../report/terminal.js";
import { auditFiles } from "../../sources/audit-files.js";
import { readJobEvents } from "../../sources/job-events.js";
import type { CliIo } from "../io.js";
import { useColor } from "../io.js";
import { parseAmount, parseChoices, parseCount, parseSpan } from "../options.js";
import { compactCount, createProgressLine, readShare } from "../progress.js";
import { firstReadOnce, givenFiles } from "../../sources/given-files.js";
import { resolvePolicies } from "../resolve-policies.js";
import { upgradeNotice } from "../upgrade-notice.js";
import type { UpgradeListener } from "../../ledger/open-ledger.js";

/** The audit command's options, as parsed. */
export interface AuditCommandOptions {
  readonly policies?: string[];
  readonly json?: boolean;
  readonly html?: string;
  readonly by?: string[];
  readonly strict?: boolean;
  readonly window?: string;
  readonly since?: string;
  readonly until?: string;
  readonly provider?: string;
  readonly model?: string;
  readonly top?: string;
  readonly threads?: string;
  readonly db?: string;
  readonly progress?: boolean;
}

/** Prints problems to stderr for `--strict` (the report is already on stdout), then fails. */
function failStrict(report: Report, io: CliIo): never {
  for (const p of report.problems.slice(0, 50)) io.stderr.write(`${p.file !== undefined ? `${p.file}:${p.line}: ` : ""}${p.why}\n`);
  if (report.problems.length > 50) io.stderr.write(`... and ${report.problems.length - 50} more\n`);
  throw new StrictError(`--strict: ${report.problems.length} problem${report.problems.length === 1 ? "" : "s"} found`);
}

/** `failcost audit FILES…` (or `--db LEDGER`): the cost audit of event files or of the ledger. */
export async function audit(args: unknown[], raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const opts = raw as AuditCommandOptions;
  const files = (args[0] as string[] | undefined) ?? [];
  if (opts.db !== undefined && files.length > 0) throw new UsageError("give event files or --db, not both (ingest the files first: failcost ingest --db …)");
  if (opts.db === undefined && files.length === 0) throw new UsageError("give the event files to audit, e.g. failcost audit logs/*.jsonl, or a ledger: --db failcost.db");
  const by = parseChoices<Dimension>("--by", opts.by, ["provider", "model", "day"]);
  const windowMinutes = parseAmount("--window", opts.window) ?? 10;
  const { sinceMicros, untilMicros } = parseSpan(opts.since, opts.until);
  const topJobs = parseCount("--top", opts.top) ?? 10;
  const threads = parseCount("--threads", opts.threads, 1);
  if (opts.db !== undefined && threads !== undefined) throw new UsageError("--threads is for auditing files; a ledger audit reads the database in one stream");
  const ledger = opts.db !== undefined ? resolveLedgerTarget(opts.db, io.cwd, io.env) : undefined;
  const policyAnchor = ledger === undefined ? files : isPostgresTarget(ledger.target) ? [] : [ledger.target];
  const { policies } = await resolvePolicies(opts.policies, policyAnchor, io.cwd);
  const progress = opts.progress === false ? createProgressLine({ ...io, stderr: { write: () => true } }) : createProgressLine(io);
  // Problems name each file as the user gave it.
  const { paths, nameOf } = givenFiles(io.cwd, files);
  // The HTML report reads the files a second time for its timelines: a pipe gives its lines once.
  if (opts.html !== undefined && ledger === undefined) {
    const pipe = firstReadOnce(paths);
    if (pipe !== undefined) throw new UsageError(`--html reads the event files twice (for the timelines), and ${nameOf(pipe)} is a pipe: save it to a file first`);
  }
  const html = opts.html === undefined ? undefined : startAuditHtml({ inputs: ledger ? [ledger.display] : files, filters: { since: opts.since, until: opts.until, provider: opts.provider, model: opts.model }, topJobs, now: new Date() });
  const options: AuditOptions & { visit?: AttemptVisitor } = {
    policies,
    sdkRetries: SDK_RETRY_RULES,
    duplicateWindowSeconds: windowMinutes * 60,
    ...(sinceMicros !== undefined ? { sinceMicros } : {}),
    ...(untilMicros !== undefined ? { untilMicros } : {}),
    ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
    ...(opts.model !== undefined ? { model: opts.model } : {}),
    topJobs,
    ...(html ? { visit: html.visit } : {}),
  };
  const report =
    ledger !== undefined
      ? await auditFromLedger(ledger.target, upgradeNotice(io, opts.db), options, (n) => progress.update(`reading the ledger: ${compactCount(n)} events`), html && { audit: html, path: resolve(io.cwd, opts.html!) })
      : await auditFiles(
          paths,
          {
            ...options,
            ...(threads !== undefined ? { threads } : {}),
            displayName: nameOf,
            onProgress: (read, total, lines) => progress.update(`reading events: ${readShare(read, total)} (${compactCount(lines)} lines)`),
          },
        );
  progress.done();
  const filtered = [opts.since, opts.until, opts.provider, opts.model].some((f) => f !== undefined);
  if (filtered && report.attempts === 0) io.stderr.write("note: no attempt matches the filters (--since, --until, --provider, --model): check the names and dates\n");
  if (html && !ledger) await html.write(resolve(io.cwd, opts.html!), report, (jobs) => readJobEvents(paths, jobs));
  if (opts.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(renderTerminalReport(report, { by, color: useColor(io) }));
  if (opts.strict && report.problems.length > 0) failStrict(report, io);
  return 0;
}

async function auditFromLedger(target: string, onUpgrade: UpgradeListener, options: AuditOptions, onProgress: (events: number) => void, html?: { audit: AuditHtml; path: string }): Promise<Report> {
  const opened = await openLedger(target, { create: false, onUpgrade });
  try {
    const report = await auditLedger(opened, { ...options, onProgress });
    // The HTML report's timelines read the top jobs' events while the ledger is open.
    if (html) await html.audit.write(html.path, report, ledgerJobEvents(opened));
    return report;
  } finally {
    await opened.close();
  }
}
