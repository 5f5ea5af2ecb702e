import { resolveLedgerTarget } from "../ledger/ledger-target.js";
import type { CliIo } from "./io.js";

/**
 * An `onUpgrade` for openLedger: says on stderr why the command pauses while a ledger is
 * upgraded. The ledger is named as messages name it (a PostgreSQL URL without its password).
 */
export function upgradeNotice(io: Pick<CliIo, "stderr" | "cwd" | "env">, ledger: string): (from: number, to: number) => void {
  const { display } = resolveLedgerTarget(ledger, io.cwd, io.env);
  return (from, to) => {
    io.stderr.write(`upgrading the ledger ${display} from schema version ${from} to ${to} (once; a large ledger takes a while)\n`);
  };
}
