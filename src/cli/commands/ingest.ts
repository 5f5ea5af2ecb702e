import type { Problem } from "../../core/index.js";
import { StrictError, UsageError } from "../../errors.js";
import { ingestFiles, type IngestResult } from "../../ledger/ingest-files.js";
import { resolveLedgerTarget } from "../../ledger/ledger-target.js";
import { openLedger } from "../../ledger/open-ledger.js";
import type { CliIo } from "../io.js";
import { parseCount } from "../options.js";
import { compactCount, createProgressLine, readShare } from "../progress.js";
import { probeFile } from "../../sources/read-lines.js";
import { firstReadOnce, givenFiles } from "../../sources/given-files.js";
import { upgradeNotice } from "../upgrade-notice.js";
import { plural } from "../../report/words.js";

/** The ingest command's options, as parsed. */
export interface IngestCommandOptions {
  readonly db?: string;
  readonly json?: boolean;
  readonly strict?: boolean;
  readonly batch?: string;
  readonly progress?: boolean;
}

const SHOWN_PROBLEMS = 50;

function problemLines(problems: readonly Problem[]): string {
  const lines = problems.slice(0, SHOWN_PROBLEMS).map((p) => `${p.file}:${p.line}: ${p.why}\n`);
  if (problems.length > SHOWN_PROBLEMS) lines.push(`... and ${problems.length - SHOWN_PROBLEMS} more\n`);
  return lines.join("");
}

function summary(r: IngestResult, files: number, ledger: string): string {
  return `${plural(r.events, "event")} from ${plural(files, "file")} into ${ledger}: ${r.added.toLocaleString("en-US")} new, ${r.known.toLocaleString("en-US")} already known, ${plural(r.problems.length, "problem")}\n`;
}

/**
 * `failcost ingest FILES…`: adds event files to the ledger (SQLite by default, or `--db
 * postgres://…`), once: events already there are counted, not added again.
 */
export async function ingest(args: unknown[], raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const opts = raw as IngestCommandOptions;
  const files = (args[0] as string[] | undefined) ?? [];
  if (files.length === 0) throw new UsageError("give the event files to ingest, e.g. failcost ingest logs/*.jsonl");
  const batchSize = parseCount("--batch", opts.batch, 1);
  const { target, display } = resolveLedgerTarget(opts.db, io.cwd, io.env);
  const progress = opts.progress === false ? createProgressLine({ ...io, stderr: { write: () => true } }) : createProgressLine(io);
  const { paths, nameOf } = givenFiles(io.cwd, files);
  // --strict checks every line before it writes any: it reads the files twice.
  const once = opts.strict === true ? firstReadOnce(paths) : undefined;
  if (once !== undefined) throw new UsageError(`--strict reads the event files twice (every line is checked before any is written), and ${nameOf(once)} is a pipe: save it to a file first`);
  // Every file must be readable before a ledger is created: a typo makes no empty ledger.
  for (const p of paths) await probeFile(p, nameOf(p));
  const ledger = await openLedger(target, { onUpgrade: upgradeNotice(io, opts.db) });
  let result: IngestResult;
  try {
    result = await ingestFiles(
      ledger,
      paths,
      {
        ...(batchSize !== undefined ? { batchSize } : {}),
        strict: opts.strict === true,
        displayName: nameOf,
        onProgress: (read, total, added, known) =>
          progress.update(`ingesting: ${readShare(read, total)} (${compactCount(added)} new, ${compactCount(known)} known)`),
      },
    );
  } finally {
    progress.done();
    await ledger.close();
  }
  if (opts.strict && result.problems.length > 0) {
    io.stderr.write(problemLines(result.problems));
    throw new StrictError(`--strict: ${plural(result.problems.length, "problem")} found; nothing was ingested`);
  }
  if (opts.json) {
    io.stdout.write(`${JSON.stringify({ ledger: display, events: result.events, new: result.added, known: result.known, problems: result.problems }, null, 2)}\n`);
  } else {
    io.stdout.write(summary(result, files.length, display));
    io.stderr.write(problemLines(result.problems));
  }
  return 0;
}
