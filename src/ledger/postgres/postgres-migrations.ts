import type pg from "pg";
import { LedgerError } from "../../errors.js";
import type { UpgradeListener } from "../open-ledger.js";

/**
 * The PostgreSQL ledger's schema, one step per version (the same steps as the SQLite ledger's);
 * `ledger_schema.version` says which a database has had. `$S` is the schema's quoted name.
 * Steps are never edited once released: a change is a new step.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: events, keyed by (time, hash of the canonical event); counters for stats and change tracking.
  `CREATE TABLE $S.events (
     micros bigint NOT NULL,
     hash bigint NOT NULL,
     job text COLLATE "C",
     charge_rid text COLLATE "C",
     body text NOT NULL,
     PRIMARY KEY (micros, hash)
   );
   CREATE INDEX events_job ON $S.events (job) WHERE job IS NOT NULL;
   CREATE INDEX events_charge ON $S.events (charge_rid) WHERE charge_rid IS NOT NULL;
   CREATE TABLE $S.ledger_meta (key text PRIMARY KEY, value bigint NOT NULL);
   INSERT INTO $S.ledger_meta VALUES ('events', 0), ('changes', 0);`,
  // 2: an index of attempts, so a filtered scan finds its jobs without reading events; filled
  // from the events already there.
  `CREATE TABLE $S.attempts (
     job text COLLATE "C" NOT NULL,
     attempt integer NOT NULL,
     provider text COLLATE "C" NOT NULL,
     model text COLLATE "C" NOT NULL,
     start bigint NOT NULL,
     last bigint NOT NULL,
     sub bigint,
     input_hash text COLLATE "C",
     request_id text COLLATE "C",
     PRIMARY KEY (job, attempt)
   );
   INSERT INTO $S.attempts
     SELECT job, (body::jsonb->>'attempt')::integer, min(body::jsonb->>'provider'), min(body::jsonb->>'model'),
            min(micros), max(micros),
            min(micros) FILTER (WHERE body::jsonb->>'type' = 'submitted'),
            min(body::jsonb->>'input_hash') FILTER (WHERE body::jsonb->>'type' = 'submitted'),
            min(body::jsonb->>'request_id')
     FROM $S.events WHERE charge_rid IS NULL
     GROUP BY job, (body::jsonb->>'attempt')::integer;
   CREATE INDEX attempts_start ON $S.attempts (start, job, attempt);
   CREATE INDEX attempts_hash ON $S.attempts (input_hash) WHERE input_hash IS NOT NULL;`,
  // 3: named snapshots (computed reports, rollups) beside the events.
  `CREATE TABLE $S.snapshots (name text PRIMARY KEY, value text NOT NULL);`,
  // 4: the indexes with random keys (input hashes, job names) ordered first by blocks of 2^32 µs
  // of the time of the event or submission (TIME_BLOCK_BITS), so an append touches their last
  // blocks, not pages all over them. Charges stay indexed by the job they name. `time_blocks`
  // lists the blocks that hold attempt events, so a lookup over a wide span probes only those; a
  // trigger keeps it (once per statement: each COPY or merge), so no writer can skip it.
  `DROP INDEX $S.attempts_hash;
   CREATE INDEX attempts_input ON $S.attempts ((sub >> 32), input_hash) WHERE input_hash IS NOT NULL;
   DROP INDEX $S.events_job;
   CREATE INDEX events_job_time ON $S.events ((micros >> 32), job) WHERE job IS NOT NULL AND charge_rid IS NULL;
   CREATE INDEX events_charge_job ON $S.events (job) WHERE job IS NOT NULL AND charge_rid IS NOT NULL;
   CREATE TABLE $S.time_blocks (b bigint PRIMARY KEY);
   INSERT INTO $S.time_blocks SELECT DISTINCT micros >> 32 FROM $S.events WHERE job IS NOT NULL AND charge_rid IS NULL;
   CREATE FUNCTION $S.note_time_blocks() RETURNS trigger LANGUAGE plpgsql AS $fn$
   BEGIN
     INSERT INTO $S.time_blocks (b)
       SELECT DISTINCT micros >> 32 FROM new_events n
       WHERE job IS NOT NULL AND charge_rid IS NULL AND NOT EXISTS (SELECT 1 FROM $S.time_blocks t WHERE t.b = n.micros >> 32)
       ORDER BY 1 ON CONFLICT DO NOTHING;
     RETURN NULL;
   END $fn$;
   CREATE TRIGGER events_time_blocks AFTER INSERT ON $S.events REFERENCING NEW TABLE AS new_events
     FOR EACH STATEMENT EXECUTE FUNCTION $S.note_time_blocks();`,
];

/** The schema version this build writes. */
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;

/**
 * Brings the schema to `target` (default: the latest), all steps in one transaction under an
 * advisory lock, so processes opening the ledger at once upgrade it once. Refuses a schema
 * written by a newer failcost, and (unless `create`) a schema that holds no ledger.
 * `onUpgrade` is told first when an existing ledger is upgraded.
 */
export async function migratePostgres(client: pg.ClientBase, schema: string, display: string, target = POSTGRES_SCHEMA_VERSION, create = true, onUpgrade?: UpgradeListener): Promise<void> {
  const q = `"${schema}"`;
  const current = async (): Promise<number | undefined> => {
    // Fails while the schema does not exist yet: then it needs every step.
    const r = await client.query<{ version: number }>(`SELECT version FROM ${q}.ledger_schema`).catch(() => undefined);
    return r?.rows[0]?.version;
  };
  const version = await current();
  if (version === target) return;
  if (version === undefined && !create) throw new LedgerError(`no ledger in schema ${schema} of ${display} (run failcost ingest first)`, display);
  if (version !== undefined && version > 0 && version < target) onUpgrade?.(version, target);
  for (let attempt = 1; ; attempt++) {
    try {
      await upgrade(client, schema, display, target);
      return;
    } catch (e) {
      // Another process created the schema while this session's catalog cache still said it
      // did not exist (an advisory lock does not refresh that cache): a new transaction does.
      const code = (e as { code?: string }).code;
      if (attempt >= 3 || !(code === "23505" || code === "42P06" || code === "42P07")) throw e;
    }
  }
}

async function upgrade(client: pg.ClientBase, schema: string, display: string, target: number): Promise<void> {
  const q = `"${schema}"`;
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`failcost ledger ${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${q}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${q}.ledger_schema (version integer NOT NULL)`);
    const r = await client.query<{ version: number }>(`SELECT version FROM ${q}.ledger_schema`);
    let version = r.rows[0]?.version ?? 0;
    if (r.rows.length === 0) await client.query(`INSERT INTO ${q}.ledger_schema VALUES (0)`);
    if (version > POSTGRES_SCHEMA_VERSION) {
      throw new LedgerError(`the ledger in ${display} (schema ${schema}) has schema version ${version}, newer than this failcost understands (${POSTGRES_SCHEMA_VERSION}): upgrade failcost`, display);
    }
    for (; version < target; version++) {
      await client.query(POSTGRES_MIGRATIONS[version]!.replaceAll("$S", q));
      await client.query(`UPDATE ${q}.ledger_schema SET version = $1`, [version + 1]);
    }
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK");
    throw e;
  }
}
