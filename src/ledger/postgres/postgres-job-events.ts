import { TIME_BLOCK_BITS } from "../ledger-store.js";

/**
 * SQL selecting `columns` of the attempt events (charges excluded) of the jobs whose attempts
 * match `jobsWhere`: each job's span of time blocks comes from its attempts, then one probe of
 * the index by (time block, job) per job, for the blocks of `time_blocks` in its span. The
 * fenced LATERAL (OFFSET 0) keeps the probe an
 * index lookup whatever the planner guesses about the block lists.
 */
export function attemptEventsSql(s: string, jobsWhere: string, columns: string): string {
  const block = `>> ${TIME_BLOCK_BITS}`;
  return `SELECT ${columns}
    FROM (SELECT job, (SELECT array_agg(b) FROM ${s}.time_blocks WHERE b BETWEEN min(start) ${block} AND max(last) ${block}) AS blocks
          FROM ${s}.attempts WHERE ${jobsWhere} GROUP BY job) a
    CROSS JOIN LATERAL (
      SELECT ${columns} FROM ${s}.events ev
      WHERE (ev.micros ${block}) = ANY (a.blocks) AND ev.job = a.job AND ev.job IS NOT NULL AND ev.charge_rid IS NULL
      OFFSET 0
    ) ev`;
}
