import { relative, resolve } from "node:path";
import { compareDecimal, parseDecimal, parseTimestamp, type ChargedEvent, type Ledger } from "../../core/index.js";
import { CheckError, UsageError } from "../../errors.js";
import { parseColumnMap } from "../../reconcile/bill-columns.js";
import { auditInput, checkInput } from "../../reconcile/event-input.js";
import { readInputOptions, type InputCommandOptions } from "../../reconcile/input-options.js";
import { createReconciler } from "../../reconcile/match-bill.js";
import { readBill } from "../../reconcile/read-bill.js";
import type { ReconcileResult } from "../../reconcile/reconcile-result.js";
import { parseTolerance } from "../../reconcile/tolerance.js";
import { createOutputFile } from "../../report/focus/output-file.js";
import { formatMoney } from "../../report/money-text.js";
import { renderReconcile } from "../../report/reconcile-text.js";
import { EXTRA_SNAPSHOTS } from "../../server/ledger-snapshots.js";
import type { CliIo } from "../io.js";
import { upgradeNotice } from "../upgrade-notice.js";

/** The reconcile command's options, as parsed. */
export interface ReconcileCommandOptions extends InputCommandOptions {
  readonly invoice?: string;
  readonly map?: string[];
  readonly currency?: string;
  readonly tolerance?: string;
  readonly failOver?: string;
  readonly json?: boolean;
  readonly dryRun?: boolean;
  readonly chargesOut?: string;
}

/** Writes the reconciled charges back: to the ledger (unless --dry-run) and/or a JSON Lines file. */
async function writeBack(charges: readonly ChargedEvent[], ledger: Ledger | undefined, opts: ReconcileCommandOptions, io: CliIo): Promise<string> {
  const done: string[] = [];
  if (opts.chargesOut !== undefined) {
    const file = createOutputFile(resolve(io.cwd, opts.chargesOut));
    for (const c of charges) file.write(`${JSON.stringify(c)}\n`);
    file.commit();
    done.push(`wrote ${charges.length} charged events to ${opts.chargesOut}`);
  }
  if (ledger && !opts.dryRun) {
    const r = await ledger.append(charges.map((event) => ({ event, micros: (parseTimestamp(event.ts) as { micros: number }).micros })));
    done.push(`wrote ${r.added} charged events to the ledger (${r.known} it already had)`);
  } else if (ledger) done.push(`--dry-run: ${charges.length} charged events not written to the ledger`);
  return done.length > 0 ? `${done.join("; ")}: later audits use the billed amounts` : `${charges.length} charged events not written (give --charges-out FILE, or --db)`;
}

function checkFailOver(result: ReconcileResult, failOver: string | undefined): void {
  if (failOver === undefined) return;
  const limit = parseDecimal(failOver)!;
  const unexplained = parseDecimal(result.totals.unexplained)!;
  const money = (s: string): string => formatMoney(s, result.currency);
  if (compareDecimal(unexplained, limit) > 0) {
    throw new CheckError(`the unexplained difference ${money(result.totals.unexplained)} is over --fail-over ${money(failOver)}`);
  }
  if (result.other_currency.count > 0) {
    throw new CheckError(`${result.other_currency.count} bill rows are in another currency than ${result.currency}: --fail-over cannot check them`);
  }
}

/** `failcost reconcile --invoice BILL`: the provider's bill against the ledger, by request id. */
export async function reconcile(_args: unknown[], raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const opts = raw as ReconcileCommandOptions;
  if (opts.invoice === undefined) throw new UsageError("give the bill to check: --invoice FILE (CSV, FOCUS CSV, JSON or JSON Lines)");
  const read = readInputOptions(opts);
  const audit = read.audit;
  const input = checkInput(read.input, "failcost reconcile --invoice usage.csv --db failcost.db", io);
  const map = parseColumnMap(opts.map);
  const tolerance = parseTolerance(opts.tolerance);
  if (opts.failOver !== undefined && (parseDecimal(opts.failOver) === undefined || parseDecimal(opts.failOver)!.units < 0n)) {
    throw new UsageError(`--fail-over ${JSON.stringify(opts.failOver)}: expected an amount >= 0, e.g. 0.50`);
  }
  const currency = opts.currency?.toUpperCase();
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) throw new UsageError(`--currency ${JSON.stringify(opts.currency)}: expected an ISO 4217 code such as USD`);
  const path = resolve(io.cwd, opts.invoice);
  const bill = await readBill(path, { map, ...(currency ? { currency } : {}), displayName: relative(io.cwd, path) || path });
  const reconciler = createReconciler(bill, {
    tolerance,
    ...(audit.sinceMicros !== undefined ? { sinceMicros: audit.sinceMicros } : {}),
    ...(audit.untilMicros !== undefined ? { untilMicros: audit.untilMicros } : {}),
    ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
    ...(currency ? { currency } : {}),
  });
  // The whole ledger is audited: a bill's request id may belong to any attempt.
  const { report, ledger } = await auditInput(
    input,
    { cwd: io.cwd, ...(opts.policies ? { policies: opts.policies } : {}), audit: { ...(audit.duplicateWindowSeconds !== undefined ? { duplicateWindowSeconds: audit.duplicateWindowSeconds } : {}) }, keepLedgerOpen: true, onUpgrade: upgradeNotice(io, input.db) },
    reconciler.visit,
  );
  try {
    const { result: r, charges } = reconciler.finish();
    const result: ReconcileResult = { ...r, problems: [...r.problems, ...report.problems.map((p) => ({ ...(p.file !== undefined ? { file: p.file, line: p.line } : {}), kind: "ledger" as const, why: p.file !== undefined ? `${p.file}:${p.line}: ${p.why}` : p.why }))] };
    const written = result.bad_rows > 0 ? `nothing written back: the bill has ${result.bad_rows} bad rows (fix them and run again)` : await writeBack(charges, ledger, opts, io);
    // The dashboard shows the last reconciliation stored beside the ledger's events.
    if (ledger && !opts.dryRun) await ledger.writeSnapshot(EXTRA_SNAPSHOTS.reconciliation, JSON.stringify({ ...result, written }));
    if (opts.json) io.stdout.write(`${JSON.stringify({ ...result, written }, null, 2)}\n`);
    else io.stdout.write(renderReconcile(result, written));
    if (result.bad_rows > 0) throw new CheckError(`${result.bad_rows} bad rows in ${result.bill.file}: the reconciliation is incomplete`);
    checkFailOver(result, opts.failOver);
    return 0;
  } finally {
    await ledger?.close();
  }
}
