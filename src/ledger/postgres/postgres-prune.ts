import type pg from "pg";
import type { PruneResult } from "../../core/index.js";
import { attemptEventsSql } from "./postgres-job-events.js";

/**
 * Removes, inside the caller's transaction, every job whose events all came before `before`
 * (its charges included: a job charged after the date straddles it and stays whole), then
 * charges from before the date that belong to no job left. Writers wait meanwhile (the table
 * lock), so no event can join a job while it is being removed.
 */
export async function prunePostgres(c: pg.ClientBase, s: string, before: number): Promise<PruneResult> {
  await c.query(`LOCK TABLE ${s}.events, ${s}.attempts IN SHARE ROW EXCLUSIVE MODE`);
  await c.query("CREATE TEMP TABLE doomed (job text COLLATE \"C\" PRIMARY KEY) ON COMMIT DROP");
  await c.query(`INSERT INTO doomed SELECT job FROM ${s}.attempts GROUP BY job HAVING max(last) < $1`, [before]);
  // Its attempt events all came before the date (the attempt index says so): its charges may not.
  await c.query(
    `DELETE FROM doomed WHERE
       EXISTS (SELECT 1 FROM ${s}.events e WHERE e.job = doomed.job AND e.job IS NOT NULL AND e.charge_rid IS NOT NULL AND e.micros >= $1)
       OR EXISTS (SELECT 1 FROM ${s}.attempts a JOIN ${s}.events e ON e.charge_rid = a.request_id WHERE a.job = doomed.job AND e.micros >= $1)`,
    [before],
  );
  const jobs = Number((await c.query<{ n: string }>("SELECT count(*) AS n FROM doomed")).rows[0]!.n);
  let events = 0;
  const run = async (sql: string, params: unknown[] = []): Promise<void> => {
    events += (await c.query(sql, params)).rowCount ?? 0;
  };
  await run(
    `DELETE FROM ${s}.events e WHERE e.charge_rid IN (SELECT a.request_id FROM ${s}.attempts a JOIN doomed USING (job))
       AND NOT EXISTS (SELECT 1 FROM ${s}.attempts b WHERE b.request_id = e.charge_rid AND b.job NOT IN (SELECT job FROM doomed))`,
  );
  await run(`DELETE FROM ${s}.events WHERE job IN (SELECT job FROM doomed) AND job IS NOT NULL AND charge_rid IS NOT NULL`);
  // Attempt events: one probe of the index by time block and job per block of the job's span.
  await run(`DELETE FROM ${s}.events WHERE (micros, hash) IN (${attemptEventsSql(s, "job IN (SELECT job FROM doomed)", "ev.micros, ev.hash")})`);
  await c.query(`DELETE FROM ${s}.attempts WHERE job IN (SELECT job FROM doomed)`);
  await run(
    `DELETE FROM ${s}.events e WHERE e.charge_rid IS NOT NULL AND e.micros < $1
       AND NOT EXISTS (SELECT 1 FROM ${s}.attempts a WHERE a.request_id = e.charge_rid)
       AND (e.job IS NULL OR NOT EXISTS (SELECT 1 FROM ${s}.attempts a WHERE a.job = e.job))`,
    [before],
  );
  if (events > 0) {
    await c.query(`UPDATE ${s}.ledger_meta SET value = value + (CASE key WHEN 'events' THEN -$1::bigint ELSE 1 END) WHERE key IN ('events', 'changes')`, [events]);
  }
  return { events, jobs };
}
