import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Report } from "../../src/core/index.js";
import type { ViewResponse } from "../../src/report/html/view.js";
import { freshPgTarget, TEST_PG } from "../ledger/pg-schemas.js";
import { runCli } from "../support/cli.js";
import { startServedLedger, viewReady, type ServedLedger } from "./start-serving.js";


describe("failcost serve over PostgreSQL", { skip: TEST_PG === undefined ? "FAILCOST_TEST_PG is not set" : false }, () => {
  let dash: ServedLedger;
  // Here, not in `before`: the schema is dropped by an `after` hook registered where it is made.
  const url = TEST_PG === undefined ? "" : freshPgTarget().url;
  before(async () => {
    dash = await startServedLedger(undefined, { db: url });
  });
  after(async () => dash?.close());

  it("shows the report of `failcost audit --db`, keeps it in the database, and never shows the password", async () => {
    const v = await viewReady(dash.url);
    const audit = await runCli(["audit", "--db", url, "--json", "--no-progress", "--policies", `${dash.dir}/policies`], dash.dir);
    assert.equal(audit.code, 0, audit.stderr);
    assert.deepEqual(v.view!.report, JSON.parse(audit.stdout) as Report);
    const password = new URL(url).password;
    if (password !== "") assert.ok(!v.view!.source.includes(password));
    await dash.restart();
    const first = (await (await fetch(`${dash.url}api/view`)).json()) as ViewResponse;
    assert.equal(first.status, "ready");
    assert.deepEqual(first.view!.report, v.view!.report);
  });
});
