import type { UpgradeListener } from "../ledger/open-ledger.js";
import { resolveLedgerTarget } from "../ledger/ledger-target.js";
import type { CliIo } from "./io.js";

/**
 * An `onUpgrade` for openLedger that says on stderr why the command pauses while the ledger
 * `--db` names (or the default one) is upgraded. The ledger is named as messages name it: a
 * PostgreSQL URL without its password.
 */
export function upgradeNotice(io: Pick<CliIo, "stderr" | "cwd" | "env">, db: string | undefined): UpgradeListener {
  const { display } = resolveLedgerTarget(db, io.cwd, io.env);
  return (from, to) => {
    io.stderr.write(`upgrading the ledger ${display} from schema version ${from} to ${to} (once; a large ledger takes a while)\n`);
  };
}
