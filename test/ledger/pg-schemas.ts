// PostgreSQL ledgers for tests: each in its own schema with a random name, dropped when the
// test file ends. Enabled when FAILCOST_TEST_PG names a database.
import { randomBytes } from "node:crypto";
import { after } from "node:test";
import pg from "pg";

/** The test database's URL, or undefined (PostgreSQL tests are skipped). */
export const TEST_PG = process.env.FAILCOST_TEST_PG || undefined;

const created: string[] = [];

/** A ledger URL in a fresh schema (created by the ledger on open, dropped after the tests). */
export function freshPgTarget(): { url: string; schema: string } {
  const schema = `failcost_test_${randomBytes(6).toString("hex")}`;
  if (created.length === 0) after(dropSchemas);
  created.push(schema);
  const url = new URL(TEST_PG!);
  url.searchParams.set("schema", schema);
  return { url: url.href, schema };
}

/** Runs `work` with a plain client on the test database. */
export async function withPgClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function dropSchemas(): Promise<void> {
  await withPgClient(async (c) => {
    for (const s of created.splice(0)) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  });
}
