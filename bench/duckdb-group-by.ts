// What a user would do instead of failcost: a group-by over the event file in DuckDB.
//   node --import tsx bench/duckdb-group-by.ts events.jsonl
import { DuckDBInstance } from "@duckdb/node-api";

const file = process.argv[2]!;
const db = await DuckDBInstance.create(":memory:");
const con = await db.connect();
const columns = "{ts:'VARCHAR',provider:'VARCHAR',model:'VARCHAR',job:'VARCHAR',attempt:'INTEGER',type:'VARCHAR',outcome:'VARCHAR',error:'VARCHAR',run_seconds:'DOUBLE'}";
const sql = `SELECT provider, model, type, outcome, error, count(*) AS events, count(DISTINCT job) AS jobs, sum(run_seconds) AS run_seconds
  FROM read_json('${file.replace(/'/g, "''")}', format = 'newline_delimited', columns = ${columns}) GROUP BY ALL`;
const result = await con.runAndReadAll(sql);
process.stdout.write(`${result.getRows().length} groups\n`);
