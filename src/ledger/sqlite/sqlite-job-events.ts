import { TIME_BLOCK_BITS } from "../ledger-store.js";

/**
 * SQL selecting `columns` (of `ev`) of the attempt events (charges excluded) of the jobs whose
 * attempts match `jobsWhere`: each job's span comes from its attempts, then one probe of the
 * index by (time block, job) per block of `time_blocks` in that span. CROSS JOIN keeps that
 * order: spans, then blocks, then events. `+k.b` drops the column's INTEGER affinity, without
 * which SQLite will not match the indexed expression and scans the whole index.
 */
export function attemptEventsSql(jobsWhere: string, columns: string): string {
  const block = `>> ${TIME_BLOCK_BITS}`;
  return `SELECT ${columns}
    FROM (SELECT job, min(start) ${block} AS first, max(last) ${block} AS last FROM attempts WHERE ${jobsWhere} GROUP BY job) p
    CROSS JOIN time_blocks k CROSS JOIN events ev
    WHERE k.b BETWEEN p.first AND p.last AND (ev.micros ${block}) = +k.b AND ev.job = p.job AND ev.job IS NOT NULL AND ev.charge_rid IS NULL`;
}

/**
 * SQL selecting the jobs (`c.job`, each once, passing `where`) with an attempt that an attempt
 * of the jobs `@jobs` (a JSON list) may duplicate: the same input hash, submitted at most
 * `@window` µs before it. Each attempt with an input hash probes the index by time block and
 * input hash once per block of `time_blocks` its window covers, whatever the ledger's size or
 * the window's. An attempt with an input hash has its submission time (both come from its
 * `submitted` event).
 */
export function duplicateCandidatesSql(where: string): string {
  const block = `>> ${TIME_BLOCK_BITS}`;
  return `SELECT DISTINCT c.job
    FROM (SELECT job, input_hash AS h, sub AS t FROM attempts WHERE job IN (SELECT value FROM json_each(@jobs)) AND input_hash IS NOT NULL) p
    CROSS JOIN time_blocks k CROSS JOIN attempts c
    WHERE k.b BETWEEN (p.t - @window) ${block} AND p.t ${block}
      AND (c.sub ${block}) = +k.b AND c.input_hash = p.h AND c.input_hash IS NOT NULL AND c.job <> p.job AND c.sub BETWEEN p.t - @window AND p.t
      AND ${where}`;
}
