import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { auditFiles } from "../sources/audit-files.js";
import { createAudit, isEventProblem, readEvent, type AttemptVisitor, type AuditOptions, type FailcostEvent, type Ledger, type LedgerQuery, type Policy, type Report } from "../core/index.js";
import { givenFiles } from "../sources/given-files.js";
import { resolvePolicies } from "../cli/resolve-policies.js";
import { messageOf, UsageError } from "../errors.js";
import { readJsonLines } from "../sources/read-json-lines.js";
import type { UpgradeListener } from "../ledger/open-ledger.js";

/** Where a command reads events from: a ledger (`--db`), or event files (`--events`). */
export interface EventInput {
  readonly db?: string;
  readonly events?: readonly string[];
}

/** Where a line came from, for messages. */
export interface LineOrigin {
  readonly file: string;
  readonly line: number;
}

/** One line of an event file: the checked event and the value as written, or why it is not one. */
export type FileEventVisitor = (
  line: { readonly event: FailcostEvent; readonly micros: number; readonly value: unknown } | { readonly why: string },
  origin: LineOrigin,
) => void;

type OpenLedger = (target: string, options?: { create?: boolean; onUpgrade?: UpgradeListener }) => Promise<Ledger> | Ledger;


// The ledger adapters are built beside this module; until a build has them, `--db` says so.
const LEDGER_MODULES = ["../ledger/index.js", "../ledger/open-ledger.js"];

/** Opens the ledger at `target`: a file path (SQLite) or a `postgres://` URL. */
export async function openLedgerAt(target: string, cwd: string, onUpgrade?: UpgradeListener): Promise<Ledger> {
  const where = /^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? target : resolve(cwd, target);
  for (const spec of LEDGER_MODULES) {
    let mod: { openLedger?: OpenLedger };
    try {
      mod = (await import(spec)) as { openLedger?: OpenLedger };
    } catch (e) {
      // Only the adapter module itself being absent means "no ledger in this build".
      if ((e as { code?: string }).code === "ERR_MODULE_NOT_FOUND" && messageOf(e).includes(spec.slice(3, -3))) continue;
      throw e;
    }
    // Reading commands never create a ledger: a mistyped path is an error, not an empty ledger.
    if (mod.openLedger) return await mod.openLedger(where, { create: false, ...(onUpgrade ? { onUpgrade } : {}) });
  }
  throw new UsageError("--db: this build of failcost has no ledger adapters; read event files with --events instead");
}

/**
 * Checks that at most one of `--db` and `--events` was given. With neither, the ledger is the
 * default one, as `ingest` writes it: `$FAILCOST_DB`, else `./failcost.db` where it exists.
 */
export function checkInput(input: EventInput, example: string, where: { readonly cwd: string; readonly env: Readonly<Record<string, string | undefined>> }): EventInput {
  const files = input.events ?? [];
  if (input.db !== undefined && files.length > 0) throw new UsageError("give either --db or --events, not both");
  if (input.db !== undefined || files.length > 0) return input;
  const fromEnv = where.env.FAILCOST_DB;
  if (fromEnv !== undefined && fromEnv !== "") return { ...input, db: fromEnv };
  if (existsSync(resolve(where.cwd, "failcost.db"))) return { ...input, db: "failcost.db" };
  throw new UsageError(`give the events to read: --db LEDGER or --events FILES… (no ./failcost.db here, and FAILCOST_DB is not set), e.g. ${example}`);
}

/** Streams every line of the event files, checked against spec §2, in file order. */
export async function forEachFileEvent(files: readonly string[], cwd: string, visit: FileEventVisitor): Promise<void> {
  const { paths, nameOf } = givenFiles(cwd, files);
  for (const path of paths) {
    const file = nameOf(path);
    await readJsonLines(path, (value, line, error) => {
      if (error !== undefined) return visit({ why: error }, { file, line });
      const r = readEvent(value);
      visit(isEventProblem(r) ? { why: r.why } : { event: r.event, micros: r.at.micros, value }, { file, line });
    }, undefined, file);
  }
}

/** What a command that audits its input needs besides the input. */
export interface AuditInputOptions {
  readonly cwd: string;
  /** `--policies` as given. */
  readonly policies?: readonly string[];
  /** Filters and the duplicate window, as the audit takes them. */
  readonly audit?: Omit<AuditOptions, "policies">;
  /** Keep the ledger open (for writing back); the caller closes it. */
  readonly keepLedgerOpen?: boolean;
  readonly onUpgrade?: UpgradeListener;
}

/** An audit of the input, finished: the report, the policies used, and the ledger if kept open. */
export interface AuditedInput {
  readonly report: Report;
  readonly policies: readonly Policy[];
  readonly ledger: Ledger | undefined;
}

/** The ledger query that selects what the audit's filters select (whole jobs; the audit filters attempts). */
export function ledgerQuery(a: Pick<AuditOptions, "sinceMicros" | "untilMicros" | "provider" | "model">): LedgerQuery {
  return {
    ...(a.sinceMicros !== undefined ? { sinceMicros: a.sinceMicros } : {}),
    ...(a.untilMicros !== undefined ? { untilMicros: a.untilMicros } : {}),
    ...(a.provider !== undefined ? { provider: a.provider } : {}),
    ...(a.model !== undefined ? { model: a.model } : {}),
  };
}

/**
 * Audits the input (`--db` or `--events`) with the policies `--policies` names (or the default
 * folder), calling `visit` with every job's audited attempts.
 */
export async function auditInput(input: EventInput, options: AuditInputOptions, visit?: AttemptVisitor): Promise<AuditedInput> {
  const { policies } = await resolvePolicies(options.policies ? [...options.policies] : undefined, input.events ?? [], options.cwd);
  const ledger = input.db !== undefined ? await openLedgerAt(input.db, options.cwd, options.onUpgrade) : undefined;
  try {
    const a = options.audit ?? {};
    let report: Report;
    if (ledger) {
      const audit = createAudit({ ...a, policies });
      // The duplicate window lets a filtered scan bring the jobs an attempt may duplicate.
      await ledger.scan({ ...ledgerQuery(a), duplicateWindowMicros: (a.duplicateWindowSeconds ?? 600) * 1_000_000 }, (e) => audit.addEvent(e.event, e.micros));
      report = audit.finish(visit);
    } else {
      const { paths, nameOf } = givenFiles(options.cwd, input.events ?? []);
      report = await auditFiles(paths, { ...a, policies, ...(visit ? { visit } : {}), displayName: nameOf });
    }
    if (!options.keepLedgerOpen) await ledger?.close();
    return { report, policies, ledger: options.keepLedgerOpen ? ledger : undefined };
  } catch (e) {
    await ledger?.close();
    throw e;
  }
}
