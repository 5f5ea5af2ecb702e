import type { CliIo } from "./io.js";

/** An `onUpgrade` for openLedger: says on stderr why the command pauses while a ledger is upgraded. */
export function upgradeNotice(io: Pick<CliIo, "stderr">, display: string): (from: number, to: number) => void {
  return (from, to) => {
    io.stderr.write(`upgrading the ledger ${display} from schema version ${from} to ${to} (once; a large ledger takes a while)\n`);
  };
}
