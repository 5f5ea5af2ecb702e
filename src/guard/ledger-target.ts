import type { Ledger, LedgerQuery, StoredEvent } from "../core/index.js";
import { UsageError } from "../errors.js";
import type { EventSink } from "./recorder.js";
import type { UpgradeListener } from "../ledger/open-ledger.js";

/** A ledger opened from a target string when first used, with the methods the guard calls. */
export interface OpenedSink extends EventSink {
  scan(query: LedgerQuery, visit: (e: StoredEvent) => void): Promise<void>;
  jobEvents(job: string): Promise<StoredEvent[]>;
  close(): Promise<void>;
}

async function open(target: string, onUpgrade: UpgradeListener | undefined): Promise<Ledger> {
  // The adapters are loaded only when a target is given (they bring the database drivers).
  const specifier = "../ledger/open-ledger.js";
  const mod = (await import(specifier).catch(() => undefined)) as { openLedger?: (t: string, o?: { onUpgrade?: UpgradeListener }) => Promise<Ledger> } | undefined;
  if (!mod?.openLedger) throw new UsageError(`ledger target '${target}': the ledger adapters are not available in this build; pass a Ledger instance`);
  return mod.openLedger(target, onUpgrade ? { onUpgrade } : {});
}

/**
 * A ledger target (a SQLite file path, `postgres://…`) opened in the background as soon as the
 * guard is made; calls wait for it, and an error opening it shows at the first append.
 * `onUpgrade` is told first when an older ledger is upgraded (calls wait meanwhile).
 */
export function ledgerFromTarget(target: string, onUpgrade?: UpgradeListener): OpenedSink {
  const opening = open(target, onUpgrade);
  opening.catch(() => undefined);
  return {
    append: async (events) => (await opening).append(events),
    scan: async (query, visit) => (await opening).scan(query, visit),
    jobEvents: async (job) => (await opening).jobEvents(job),
    close: async () => (await opening).close(),
  };
}
