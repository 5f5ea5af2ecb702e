import type { Ledger } from "../../core/index.js";
import { createLedger } from "../create-ledger.js";
import { openSqliteStore, type SqliteLedgerOptions } from "./sqlite-store.js";

export type { SqliteLedgerOptions } from "./sqlite-store.js";

/**
 * Opens (by default creating) the SQLite ledger in `file`, upgrading an older schema in place.
 * WAL mode: a reader never blocks the writer. Throws LedgerError when it cannot.
 */
export function openSqliteLedger(file: string, options: SqliteLedgerOptions = {}): Ledger {
  return createLedger(openSqliteStore(file, options));
}
