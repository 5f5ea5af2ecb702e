import type pg from "pg";

/** SQLSTATEs after which the same transaction may simply be run again. */
const RETRYABLE = new Set(["40P01", "40001"]); // deadlock_detected, serialization_failure

/**
 * Runs `work` in one transaction on one pooled connection: COMMIT when it resolves, ROLLBACK
 * when it throws. A deadlock or serialization failure between concurrent writers rolls back
 * and runs it again (a few times, with a short random pause).
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (e) {
      await client.query("ROLLBACK").catch(() => undefined);
      const code = (e as { code?: string }).code;
      if (attempt >= 8 || code === undefined || !RETRYABLE.has(code)) throw e;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
    } finally {
      client.release();
    }
  }
}
