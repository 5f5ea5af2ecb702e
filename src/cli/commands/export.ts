import { resolve } from "node:path";
import { StrictError, UsageError } from "../../errors.js";
import { auditInput, checkInput, ledgerQuery, openLedgerAt, type EventInput } from "../../reconcile/event-input.js";
import { readInputOptions, type InputCommandOptions } from "../../reconcile/input-options.js";
import { createFocusCsvWriter, focusMetadata } from "../../report/focus/focus-csv.js";
import { focusRow } from "../../report/focus/focus-row.js";
import { createOutputFile } from "../../report/focus/output-file.js";
import { selectFileEvents } from "../../reconcile/select-events.js";
import type { CliIo } from "../io.js";
import { VERSION } from "../version.js";
import { upgradeNotice } from "../upgrade-notice.js";

/** The export command's options, as parsed. */
export interface ExportCommandOptions extends InputCommandOptions {
  readonly out?: string;
  readonly metadata?: string;
  readonly account?: string;
  readonly strict?: boolean;
}

const FORMATS = ["focus", "events"] as const;

/** Runs `write` against `--out` (atomically) or stdout. */
async function toOutput(out: string | undefined, io: CliIo, write: (sink: (text: string) => void) => Promise<void>): Promise<void> {
  if (out === undefined) return write((t) => io.stdout.write(t));
  const file = createOutputFile(resolve(io.cwd, out));
  try {
    await write((t) => file.write(t));
    file.commit();
  } catch (e) {
    file.abort();
    throw e;
  }
}

function reportProblems(problems: readonly { file?: string; line?: number; why: string }[], io: CliIo, strict: boolean | undefined): void {
  for (const p of problems.slice(0, 50)) io.stderr.write(`${p.file !== undefined ? `${p.file}:${p.line}: ` : ""}${p.why}\n`);
  if (problems.length > 50) io.stderr.write(`... and ${problems.length - 50} more\n`);
  if (strict && problems.length > 0) throw new StrictError(`--strict: ${problems.length} problem${problems.length === 1 ? "" : "s"} found`);
}

async function exportFocus(input: EventInput, opts: ExportCommandOptions, io: CliIo): Promise<number> {
  const { audit } = readInputOptions(opts);
  let rows = 0;
  let currency = "";
  let problems: { file?: string; line?: number; why: string }[] = [];
  await toOutput(opts.out, io, async (sink) => {
    // Created on the first row, so nothing reaches stdout before the policies and input are read.
    let writer: ReturnType<typeof createFocusCsvWriter> | undefined;
    const { report } = await auditInput(input, { cwd: io.cwd, ...(opts.policies ? { policies: opts.policies } : {}), audit, onUpgrade: upgradeNotice(io, input.db) }, (attempts, scale, cur) => {
      writer ??= createFocusCsvWriter(sink);
      for (const a of attempts) writer.add(focusRow(a, { scale, currency: cur, ...(opts.account !== undefined ? { account: opts.account } : {}) }));
    });
    rows = (writer ?? createFocusCsvWriter(sink)).end();
    currency = report.currency;
    problems = [...report.problems];
  });
  if (opts.metadata !== undefined) {
    const meta = createOutputFile(resolve(io.cwd, opts.metadata));
    meta.write(`${JSON.stringify(focusMetadata(VERSION, new Date().toISOString().replace(/\.\d{3}Z$/, "Z")), null, 2)}\n`);
    meta.commit();
  }
  io.stderr.write(`exported ${rows} attempt${rows === 1 ? "" : "s"} as FOCUS 1.3 rows (${currency})\n`);
  reportProblems(problems, io, opts.strict);
  return 0;
}

async function exportEvents(input: EventInput, opts: ExportCommandOptions, io: CliIo): Promise<number> {
  const { audit } = readInputOptions(opts);
  const problems: { file: string; line: number; why: string }[] = [];
  let count = 0;
  await toOutput(opts.out, io, async (sink) => {
    const line = (e: unknown): void => {
      count++;
      sink(`${JSON.stringify(e)}\n`);
    };
    if (input.db !== undefined) {
      const ledger = await openLedgerAt(input.db, io.cwd, upgradeNotice(io, input.db));
      try {
        await ledger.scan(ledgerQuery(audit), (e) => line(e.event));
      } finally {
        await ledger.close();
      }
      return;
    }
    // Raw: each event as it was written (unknown extra fields kept), one a line.
    await selectFileEvents(input.events ?? [], io.cwd, audit, (_e, value) => line(value), (o, why) => problems.push({ ...o, why }));
  });
  io.stderr.write(`exported ${count} event${count === 1 ? "" : "s"}\n`);
  reportProblems(problems, io, opts.strict);
  return 0;
}

/** `failcost export focus|events`: billed cost per attempt as FOCUS 1.3 CSV, or the raw events as JSON Lines. */
export async function exportCommand(args: unknown[], raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const opts = raw as ExportCommandOptions;
  const format = args[0] as string;
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`export ${JSON.stringify(format)}: expected one of ${FORMATS.join(", ")}`);
  const input = checkInput(readInputOptions(opts).input, `failcost export ${format} --db failcost.db`, io);
  if (format === "events" && opts.metadata !== undefined) throw new UsageError("--metadata is for export focus");
  return format === "focus" ? exportFocus(input, opts, io) : exportEvents(input, opts, io);
}
