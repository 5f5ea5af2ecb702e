import type { Ledger } from "../core/index.js";

/** The default ledger: an SQLite file in the working folder. */
export const DEFAULT_LEDGER = "failcost.db";

/** Told before a ledger of an older schema version is upgraded in place (from, to). */
export type UpgradeListener = (from: number, to: number) => void;

/** How to open a ledger. */
export interface OpenLedgerOptions {
  /** Create it when missing (default true). Reading commands pass false. */
  readonly create?: boolean;
  /**
   * Told before a ledger of an older schema version is upgraded in place, so a command can
   * say why it pauses (a large ledger takes a while, once).
   */
  readonly onUpgrade?: UpgradeListener;
}

/** True when the target names a PostgreSQL database rather than an SQLite file. */
export function isPostgresTarget(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/**
 * Opens the ledger a target names: a `postgres://` (or `postgresql://`) URL is a PostgreSQL
 * ledger (`?schema=name` picks the schema, default `failcost`); anything else is an SQLite file
 * path. Each driver is loaded only when its adapter is used.
 */
export async function openLedger(target: string = DEFAULT_LEDGER, options: OpenLedgerOptions = {}): Promise<Ledger> {
  if (isPostgresTarget(target)) {
    const { openPostgresLedger } = await import("./postgres/open-postgres-ledger.js");
    return openPostgresLedger(target, options);
  }
  const { openSqliteLedger } = await import("./sqlite/open-sqlite-ledger.js");
  return openSqliteLedger(target, options);
}
