import type { Ledger } from "../../core/index.js";
import { createLedger } from "../create-ledger.js";
import type { OpenLedgerOptions } from "../open-ledger.js";
import { openPostgresStore } from "./postgres-store.js";

/**
 * Opens the PostgreSQL ledger at `url` (`?schema=name`, default `failcost`), creating or
 * upgrading its schema in place (`create: false`: a missing ledger is an error). Throws
 * LedgerError when it cannot connect or the schema is newer.
 */
export async function openPostgresLedger(url: string, options: OpenLedgerOptions = {}): Promise<Ledger> {
  return createLedger(await openPostgresStore(url, options));
}
