import { relative, resolve } from "node:path";
import type { Report } from "../../core/index.js";
import { StrictError, UsageError } from "../../errors.js";
import { renderTerminalReport, type Dimension } from "../../report/terminal.js";
import { SDK_RETRY_RULES } from "../../providers/sdk-retry-rules.js";
import { auditFiles } from "../../sources/audit-files.js";
import type { CliIo } from "../io.js";
import { useColor } from "../io.js";
import { parseAmount, parseChoices, parseCount, parseWhen } from "../options.js";
import { compactCount, createProgressLine } from "../progress.js";
import { resolvePolicies } from "../resolve-policies.js";

/** The audit command's options, as parsed. */
export interface AuditCommandOptions {
  readonly policies?: string[];
  readonly json?: boolean;
  readonly by?: string[];
  readonly strict?: boolean;
  readonly window?: string;
  readonly since?: string;
  readonly until?: string;
  readonly provider?: string;
  readonly model?: string;
  readonly top?: string;
  readonly progress?: boolean;
  readonly threads?: string;
}

/** Prints problems to stderr for `--strict`, then fails. */
function failStrict(report: Report, io: CliIo): never {
  for (const p of report.problems.slice(0, 50)) io.stderr.write(`${p.file !== undefined ? `${p.file}:${p.line}: ` : ""}${p.why}\n`);
  if (report.problems.length > 50) io.stderr.write(`... and ${report.problems.length - 50} more\n`);
  throw new StrictError(`--strict: ${report.problems.length} problem${report.problems.length === 1 ? "" : "s"} found`);
}

/** `failcost audit FILES…`: the cost audit of event files. */
export async function audit(args: unknown[], raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const opts = raw as AuditCommandOptions;
  const files = (args[0] as string[] | undefined) ?? [];
  if (files.length === 0) throw new UsageError("give the event files to audit, e.g. failcost audit logs/*.jsonl");
  const by = parseChoices<Dimension>("--by", opts.by, ["provider", "model", "day"]);
  const windowMinutes = parseAmount("--window", opts.window) ?? 10;
  const sinceMicros = parseWhen("--since", opts.since);
  const untilMicros = parseWhen("--until", opts.until);
  const topJobs = parseCount("--top", opts.top) ?? 10;
  const threads = parseCount("--threads", opts.threads, 1);
  const { policies } = await resolvePolicies(opts.policies, files, io.cwd);
  const progress = opts.progress === false ? createProgressLine({ ...io, stderr: { write: () => true } }) : createProgressLine(io);
  const report = await auditFiles(
    files.map((f) => resolve(io.cwd, f)),
    {
      policies,
      sdkRetries: SDK_RETRY_RULES,
      duplicateWindowSeconds: windowMinutes * 60,
      ...(sinceMicros !== undefined ? { sinceMicros } : {}),
      ...(untilMicros !== undefined ? { untilMicros } : {}),
      ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
      ...(opts.model !== undefined ? { model: opts.model } : {}),
      topJobs,
      ...(threads !== undefined ? { threads } : {}),
      displayName: (p) => relative(io.cwd, p) || p,
      onProgress: (read, total, lines) => progress.update(`reading events: ${total > 0 ? Math.floor((read / total) * 100) : 0}% (${compactCount(lines)} lines)`),
    },
  );
  progress.done();
  if (opts.strict && report.problems.length > 0) failStrict(report, io);
  if (opts.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(renderTerminalReport(report, { by, color: useColor(io) }));
  return 0;
}
