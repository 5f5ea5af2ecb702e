import pg from "pg";
import type { LedgerQuery, StoredEvent } from "../../core/index.js";
import { LedgerError, messageOf } from "../../errors.js";
import type { OpenLedgerOptions } from "../open-ledger.js";
import { eventRow, type EventRow } from "../event-row.js";
import { attemptRows } from "../ledger-batch.js";
import { TIME_BLOCK_BITS, queryBounds, type LedgerRow, type LedgerStore, type Page } from "../ledger-store.js";
import { attemptEventsSql } from "./postgres-job-events.js";
import { copyRows, copyText, copyTextIn, startCopyIn } from "./postgres-copy.js";
import { migratePostgres } from "./postgres-migrations.js";
import { prunePostgres } from "./postgres-prune.js";
import { parsePostgresTarget } from "./postgres-target.js";
import { inTransaction } from "./postgres-transaction.js";

const filter = (a: string): string =>
  `${a}.start >= $1 AND ${a}.start < $2 AND ($3::text IS NULL OR ${a}.provider = $3) AND ($4::text IS NULL OR ${a}.model = $4)`;

interface RawRow {
  micros: string;
  body: string;
}

const toRows = (rows: RawRow[]): LedgerRow[] => rows.map((r) => ({ micros: Number(r.micros), body: r.body }));

/**
 * Events per COPY and merge within a batch: the client turns the next part into rows while the
 * server merges the last one, so the two processors work at once.
 */
const PART = 2000;

/** Parts of one batch copied straight in, each under a savepoint (see the write below). */
const MAX_DIRECT_PARTS = 60;

/**
 * The COPY text of events `[from, to)`: identity, columns and canonical body (event-row.ts), in
 * identity order and each identity once, so the part can be copied straight into the events
 * table when none of it is there yet (concurrent writers then lock rows in the same order).
 */
function eventsCopyText(events: readonly StoredEvent[], from: number, to: number): { text: string; rows: number } {
  const rows: EventRow[] = [];
  for (let i = from; i < to; i++) rows.push(eventRow(events[i]!));
  rows.sort((a, b) => a.micros - b.micros || a.hash - b.hash);
  const unique = rows.filter((r, i) => i === 0 || r.micros !== rows[i - 1]!.micros || r.hash !== rows[i - 1]!.hash);
  return { text: copyText(unique.map((r) => [r.micros, r.hash, r.job, r.chargeRid, r.body])), rows: unique.length };
}

/**
 * The PostgreSQL ledger store (node-postgres pool). A write is one transaction: the batch is
 * copied (COPY) into staging tables, then merged with `ON CONFLICT DO NOTHING` on the event
 * identity, so concurrent writers of overlapping files add each event once; rows are merged in
 * identity order, and a deadlock or serialization failure retries the whole transaction.
 */
export async function openPostgresStore(target: string, options: OpenLedgerOptions = {}): Promise<LedgerStore> {
  const { connectionString, schema, display } = parsePostgresTarget(target);
  const pool = new pg.Pool({ connectionString, max: 4, application_name: "failcost" });
  pool.on("error", () => {
    // An idle connection dropped by the server: the next query reconnects.
  });
  // Each batch is copied into staging tables, per connection and emptied at commit, then merged.
  // Queued first on every new connection, so they exist (outside any transaction) before use.
  pool.on("connect", (client) => {
    client
      .query(
        `CREATE TEMP TABLE incoming_events (micros bigint, hash bigint, job text COLLATE "C", charge_rid text COLLATE "C", body text) ON COMMIT DELETE ROWS;
         CREATE TEMP TABLE incoming_attempts (job text COLLATE "C", attempt integer, provider text COLLATE "C", model text COLLATE "C",
           start bigint, last bigint, sub bigint, input_hash text COLLATE "C", request_id text COLLATE "C") ON COMMIT DELETE ROWS`,
      )
      .catch(() => undefined); // a failure here shows as the COPY's own error
  });
  const s = `"${schema}"`;
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client, schema, display, undefined, options.create !== false, options.onUpgrade);
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end();
    if (e instanceof LedgerError) throw e;
    throw new LedgerError(`cannot open the ledger ${display}: ${messageOf(e)}`, display);
  }

  // Empties the staging table as it merges, ready for the batch's next part.
  const mergeEvents = `WITH part AS (DELETE FROM incoming_events RETURNING micros, hash, job, charge_rid, body)
    INSERT INTO ${s}.events (micros, hash, job, charge_rid, body)
    SELECT micros, hash, job, charge_rid, body FROM part ORDER BY micros, hash ON CONFLICT DO NOTHING`;
  const mergeAttempts = `INSERT INTO ${s}.attempts (job, attempt, provider, model, start, last, sub, input_hash, request_id)
    SELECT * FROM incoming_attempts ORDER BY job, attempt
    ON CONFLICT (job, attempt) DO UPDATE SET
      provider = LEAST(attempts.provider, excluded.provider), model = LEAST(attempts.model, excluded.model),
      start = LEAST(attempts.start, excluded.start), last = GREATEST(attempts.last, excluded.last),
      sub = LEAST(attempts.sub, excluded.sub), input_hash = LEAST(attempts.input_hash, excluded.input_hash),
      request_id = LEAST(attempts.request_id, excluded.request_id)`;

  // Whether the last part written held only new events. Then the next is copied straight into
  // the events table (several times less work for the server than staging and merging); a
  // unique violation rolls that part back to a savepoint and merges it instead, and parts are
  // merged until one is wholly new again (a file ingested twice conflicts on every part).
  let allNew = true;
  const copyDirect = `${s}.events (micros, hash, job, charge_rid, body)`;

  const writeNow = (events: readonly StoredEvent[]): Promise<number> => {
    // Built once, part by part as the transaction needs them: a retried transaction reuses them.
    const parts: { text: string; rows: number }[] = [];
    const part = (k: number): { text: string; rows: number } => (parts[k] ??= eventsCopyText(events, k * PART, Math.min(events.length, (k + 1) * PART)));
    return inTransaction(pool, async (c) => {
      let added = 0;
      // A part's statements run one after another (node-postgres wants no query queued behind
      // another); `sent` resolves once the server has the part's last work: the client builds
      // the next part meanwhile.
      const part$ = (run: (sent: () => void) => Promise<number>): { sent: Promise<void>; done: Promise<number> } => {
        let sent!: () => void;
        const onSent = new Promise<void>((resolve) => (sent = resolve));
        const done = run(sent).finally(sent);
        return { sent: onSent, done };
      };
      // Into the staging table, then merged: the merge is the server's work.
      const merge = (text: string): { sent: Promise<void>; done: Promise<number> } =>
        part$(async (sent) => {
          await copyTextIn(c, "incoming_events", text);
          const merged = c.query(mergeEvents);
          sent();
          return (await merged).rowCount ?? 0;
        });
      // Straight into the events table under a savepoint: the copy is the server's work.
      const direct = (text: string): { sent: Promise<void>; done: Promise<number> } =>
        part$(async (sent) => {
          await c.query("SAVEPOINT part");
          const copy = startCopyIn(c, copyDirect, text);
          void copy.sent.then(sent);
          const n = await copy.done;
          await c.query("RELEASE SAVEPOINT part");
          return n;
        });
      // The part the server works on while the client builds the next one.
      let working: { readonly k: number; readonly direct: boolean; readonly done: Promise<number> } | undefined;
      const settle = async (): Promise<void> => {
        if (working === undefined) return;
        const w = working;
        working = undefined;
        if (!w.direct) {
          const n = await w.done;
          added += n;
          allNew = n === part(w.k).rows;
          return;
        }
        try {
          added += await w.done;
        } catch (e) {
          if ((e as { code?: string }).code !== "23505") throw e; // unique_violation: some were known
          await c.query("ROLLBACK TO SAVEPOINT part");
          allNew = false;
          added += await merge(part(w.k).text).done;
        }
      };
      for (let k = 0; k * PART < events.length; k++) {
        const { text } = part(k); // while the server works on part k - 1, whose rows are sent
        await settle();
        // Each direct part is a subtransaction; past PostgreSQL's 64 cached per transaction
        // (batches over 128,000 events) every other session's visibility checks slow down.
        const straight = allNew && k < MAX_DIRECT_PARTS;
        const w = straight ? direct(text) : merge(text);
        w.done.catch(() => undefined); // settled above, on the next turn or after the loop
        working = { k, direct: straight, done: w.done };
        await w.sent;
      }
      await settle();
      // A batch of known events changes nothing; otherwise merge its attempts (idempotent).
      if (added === 0) return 0;
      await copyRows(c, "incoming_attempts", attemptRows(events).map((a) => [a.job, a.attempt, a.provider, a.model, a.start, a.last, a.sub, a.inputHash, a.requestId]));
      await c.query(mergeAttempts);
      // Last, so the counter row is locked only for the moment before COMMIT.
      await c.query(`UPDATE ${s}.ledger_meta SET value = value + (CASE key WHEN 'events' THEN $1::bigint ELSE 1 END) WHERE key IN ('events', 'changes')`, [added]);
      return added;
    });
  };

  // One write at a time, in the order asked: a caller may start the next batch's append before
  // the last has committed (ingest reads on meanwhile); two transactions of one writer at once
  // would only contend with each other.
  let last: Promise<unknown> = Promise.resolve();
  const write = (events: readonly StoredEvent[]): Promise<number> => {
    const written = last.then(() => writeNow(events));
    last = written.catch(() => undefined);
    return written;
  };

  const rows = async (sql: string, params: unknown[]): Promise<LedgerRow[]> => toRows((await pool.query<RawRow>(sql, params)).rows);
  const meta = async (key: string): Promise<number> => Number((await pool.query<{ value: string }>(`SELECT value FROM ${s}.ledger_meta WHERE key = $1`, [key])).rows[0]!.value);
  const bounds = (q: LedgerQuery): unknown[] => {
    const b = queryBounds(q);
    return [b.since, b.until, b.provider, b.model];
  };

  // A filtered scan's plans need row statistics; a freshly filled ledger may have none yet (the
  // autovacuum daemon gathers them later), and without them the planner can pick an index that
  // makes a job page cost a scan of the whole time range. Gather them once, when missing or stale.
  let analyzed = false;
  const ensureStatistics = async (): Promise<void> => {
    if (analyzed) return;
    analyzed = true;
    const stale = await pool.query(
      `SELECT 1 FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'attempts'
         AND (coalesce(last_analyze, last_autoanalyze) IS NULL OR n_mod_since_analyze > n_live_tup / 5)`,
      [schema],
    );
    if (stale.rows.length > 0) await pool.query(`ANALYZE ${s}.attempts, ${s}.events`);
  };

  return {
    write,
    async eventPage(after, limit) {
      const [m, h] = (after as [number, number] | undefined) ?? [Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
      const found = (await pool.query<RawRow & { hash: string }>(`SELECT micros, hash, body FROM ${s}.events WHERE (micros, hash) > ($1, $2) ORDER BY micros, hash LIMIT $3`, [m, h, limit])).rows;
      const last = found[found.length - 1];
      return { items: toRows(found), next: found.length < limit || !last ? undefined : [Number(last.micros), Number(last.hash)] };
    },
    async jobPage(query, after, limit): Promise<Page<string>> {
      await ensureStatistics();
      const [st, j, a] = (after as [number, string, number] | undefined) ?? [Number.MIN_SAFE_INTEGER, "", 0];
      const found = (
        await pool.query<{ job: string; attempt: number; start: string }>(
          `SELECT a.job, a.attempt, a.start FROM ${s}.attempts a
           WHERE ${filter("a")} AND (a.start, a.job, a.attempt) > ($5, $6, $7)
             AND NOT EXISTS (SELECT 1 FROM ${s}.attempts b WHERE b.job = a.job AND ${filter("b")} AND (b.start, b.attempt) < (a.start, a.attempt))
           ORDER BY a.start, a.job, a.attempt LIMIT $8`,
          [...bounds(query), st, j, a, limit],
        )
      ).rows;
      const last = found[found.length - 1];
      return { items: found.map((f) => f.job), next: found.length < limit || !last ? undefined : [Number(last.start), last.job, last.attempt] };
    },
    // A job's attempt events lie between its attempts' first and last times; charges that name
    // a job have their own index.
    eventsOfJobs: (jobs) =>
      rows(
        `${attemptEventsSql(s, "job = ANY($1::text[])", "micros, body")}
         UNION ALL
         SELECT micros, body FROM ${s}.events WHERE job = ANY($1::text[]) AND job IS NOT NULL AND charge_rid IS NOT NULL`,
        [jobs],
      ),
    chargesOf: (rids, except) => rows(`SELECT micros, body FROM ${s}.events WHERE charge_rid = ANY($1::text[]) AND (job IS NULL OR NOT job = ANY($2::text[]))`, [rids, except]),
    async duplicateContext(jobs, window, query) {
      // LATERAL: one index lookup per block of `time_blocks` the window covers (see
      // TIME_BLOCK_BITS) for each attempt of the page, whatever the ledger's size. An
      // attempt with an input hash has its submission time (both come from its `submitted` event).
      const block = `>> ${TIME_BLOCK_BITS}`;
      const found = await pool.query<{ job: string }>(
        `SELECT DISTINCT c.job
         FROM (SELECT job, input_hash, sub AS t, (SELECT array_agg(b) FROM ${s}.time_blocks WHERE b BETWEEN (sub - $6::bigint) ${block} AND sub ${block}) AS blocks
               FROM ${s}.attempts WHERE job = ANY($5::text[]) AND input_hash IS NOT NULL) a
         CROSS JOIN LATERAL (
           SELECT c.job FROM ${s}.attempts c
           WHERE (c.sub ${block}) = ANY (a.blocks) AND c.input_hash = a.input_hash AND c.input_hash IS NOT NULL
             AND c.job <> a.job AND c.sub BETWEEN a.t - $6::bigint AND a.t
           OFFSET 0
         ) c
         WHERE NOT EXISTS (SELECT 1 FROM ${s}.attempts m WHERE m.job = c.job AND ${filter("m")})`,
        // Times are whole µs: a whole window selects the same; a bigint holds any window asked.
        [...bounds(query), jobs, Math.min(Math.floor(window), Number.MAX_SAFE_INTEGER)],
      );
      return found.rows.map((r) => r.job);
    },
    async stats() {
      const span = (await pool.query<{ first: string | null; last: string | null }>(`SELECT min(micros) AS first, max(micros) AS last FROM ${s}.events`)).rows[0]!;
      const counts = (await pool.query<{ jobs: string; attempts: string }>(`SELECT count(DISTINCT job) AS jobs, count(*) AS attempts FROM ${s}.attempts`)).rows[0]!;
      const size = await pool.query<{ bytes: string | null }>(
        `SELECT sum(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
        [schema],
      );
      return {
        events: await meta("events"),
        jobs: Number(counts.jobs),
        attempts: Number(counts.attempts),
        ...(span.first !== null ? { firstMicros: Number(span.first), lastMicros: Number(span.last) } : {}),
        bytes: Number(size.rows[0]?.bytes ?? 0),
      };
    },
    prune: (before) => inTransaction(pool, (c) => prunePostgres(c, s, before)),
    changeCount: () => meta("changes"),
    async readSnapshot(name) {
      const r = await pool.query<{ value: string }>(`SELECT value FROM ${s}.snapshots WHERE name = $1`, [name]);
      return r.rows[0]?.value;
    },
    async writeSnapshot(name, value) {
      await pool.query(`INSERT INTO ${s}.snapshots (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value`, [name, value]);
    },
    async close() {
      await last;
      await pool.end();
    },
  };
}
