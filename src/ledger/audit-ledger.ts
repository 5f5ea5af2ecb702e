import { createAudit, type AttemptVisitor, type AuditOptions, type Ledger, type LedgerQuery, type Report } from "../core/index.js";

/** Options for auditing a ledger: the audit's, plus a visitor and progress. */
export interface AuditLedgerOptions extends AuditOptions {
  readonly visit?: AttemptVisitor;
  /** Called now and then with the number of events read so far. */
  readonly onProgress?: (events: number) => void;
}

/** The query a ledger audit scans with: the audit's filters and duplicate window. */
export function ledgerQueryOf(options: AuditOptions): LedgerQuery {
  return {
    ...(options.sinceMicros !== undefined ? { sinceMicros: options.sinceMicros } : {}),
    ...(options.untilMicros !== undefined ? { untilMicros: options.untilMicros } : {}),
    ...(options.provider !== undefined ? { provider: options.provider } : {}),
    ...(options.model !== undefined ? { model: options.model } : {}),
    duplicateWindowMicros: (options.duplicateWindowSeconds ?? 600) * 1_000_000,
  };
}

/**
 * The cost audit of the events in a ledger: the same report an audit of the same events from
 * files gives. With filters it reads only the matching jobs (every event of each), their
 * charges, and the jobs duplicate detection must see beside them; `events` then counts the
 * events read, and `unmatched_charges` the unmatched among the charges read.
 */
export async function auditLedger(ledger: Ledger, options: AuditLedgerOptions): Promise<Report> {
  const audit = createAudit(options);
  let read = 0;
  await ledger.scan(ledgerQueryOf(options), (e) => {
    audit.addEvent(e.event, e.micros);
    if (++read % 65536 === 0) options.onProgress?.(read);
  });
  options.onProgress?.(read);
  return audit.finish(options.visit);
}
