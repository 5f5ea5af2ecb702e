import type Database from "better-sqlite3";
import type { PruneResult } from "../../core/index.js";
import { attemptEventsSql } from "./sqlite-job-events.js";

/**
 * Removes, in one transaction, every job whose events all came before `before` (its charges
 * included: a job charged after the date straddles it and stays whole), then charges from
 * before the date that belong to no job left in the ledger.
 */
export function pruneSqlite(db: Database.Database, before: number): PruneResult {
  return db
    .transaction((): PruneResult => {
      db.exec("DROP TABLE IF EXISTS temp.doomed; CREATE TEMP TABLE doomed (job TEXT PRIMARY KEY) WITHOUT ROWID");
      db.prepare("INSERT INTO doomed SELECT job FROM attempts GROUP BY job HAVING max(last) < ?").run(before);
      db.prepare(
        // Its attempt events all came before the date (the attempt index says so): its charges may not.
        `DELETE FROM doomed WHERE
           EXISTS (SELECT 1 FROM events e WHERE e.job = doomed.job AND e.job IS NOT NULL AND e.charge_rid IS NOT NULL AND e.micros >= @before)
           OR EXISTS (SELECT 1 FROM attempts a JOIN events e ON e.charge_rid = a.request_id WHERE a.job = doomed.job AND e.micros >= @before)`,
      ).run({ before });
      const jobs = (db.prepare("SELECT count(*) FROM doomed").pluck().get() as number) ?? 0;
      let events = 0;
      events += db
        .prepare(
          `DELETE FROM events WHERE charge_rid IN (SELECT a.request_id FROM attempts a JOIN doomed USING (job))
             AND NOT EXISTS (SELECT 1 FROM attempts b WHERE b.request_id = events.charge_rid AND b.job NOT IN (SELECT job FROM doomed))`,
        )
        .run().changes;
      events += db.prepare("DELETE FROM events WHERE job IN (SELECT job FROM doomed) AND job IS NOT NULL AND charge_rid IS NOT NULL").run().changes;
      // Attempt events: one probe of the index by time block and job per block of the job's span.
      events += db.prepare(`DELETE FROM events WHERE rowid IN (${attemptEventsSql("job IN (SELECT job FROM doomed)", "ev.rowid")})`).run().changes;
      db.prepare("DELETE FROM attempts WHERE job IN (SELECT job FROM doomed)").run();
      events += db
        .prepare(
          `DELETE FROM events WHERE charge_rid IS NOT NULL AND micros < ?
             AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.request_id = events.charge_rid)
             AND (job IS NULL OR NOT EXISTS (SELECT 1 FROM attempts a WHERE a.job = events.job))`,
        )
        .run(before).changes;
      db.exec("DROP TABLE temp.doomed");
      if (events > 0) {
        db.prepare("UPDATE ledger_meta SET value = value - ? WHERE key = 'events'").run(events);
        db.prepare("UPDATE ledger_meta SET value = value + 1 WHERE key = 'changes'").run();
      }
      return { events, jobs };
    })
    .immediate();
}
