import assert from "node:assert/strict";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli, spawnCli, spawnCliClosingEarly } from "../support/cli.js";
import { charged, ev, success, TEST_POLICY_YAML } from "../support/audit.js";

/** A folder with events.jsonl (one good job and the given extra lines) and policies/test.yaml. */
function workspace(extraLines: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), "failcost-cli-"));
  mkdirSync(join(dir, "policies"));
  writeFileSync(join(dir, "policies", "test.yaml"), TEST_POLICY_YAML);
  const lines = [...success({ job: "a", attempt: 1 }, 0)].map((e) => JSON.stringify(e));
  writeFileSync(join(dir, "events.jsonl"), [...lines, ...extraLines].join("\n") + "\n");
  return dir;
}

describe("failcost audit", () => {
  it("prints a terminal report and exits 0", async () => {
    const dir = workspace();
    const r = await runCli(["audit", "events.jsonl"], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /failcost audit · 1 job · 1 attempt · 1 provider/);
    assert.match(r.stdout, /billed\s+\$0\.0585/);
    assert.match(r.stdout, /Checklist/);
    for (const words of ["job creation charge", "partial processing", "retry multiplication", "timeout billing", "duplicate submission", "polling excess"]) assert.match(r.stdout, new RegExp(words));
  });

  it("says how many charges match no request id, in the right number", async () => {
    const one = await runCli(["audit", "events.jsonl"], workspace([JSON.stringify(charged("ghost", "0.5"))]));
    assert.match(one.stdout, /1 charge \(\$0\.5\) names a request id no event mentions; it is not in billed\./);
    const two = await runCli(["audit", "events.jsonl"], workspace([JSON.stringify(charged("ghost", "0.5")), JSON.stringify(charged("ghost-2", "0.25"))]));
    assert.match(two.stdout, /2 charges \(\$0\.75\) name request ids no event mentions; they are not in billed\./);
  });

  it("--json prints the report of spec §6", async () => {
    const dir = workspace();
    const r = await runCli(["audit", "--json", "events.jsonl"], dir);
    const report = JSON.parse(r.stdout);
    for (const key of ["currency", "jobs", "attempts", "succeeded_jobs", "billed", "useful", "waste", "waste_by_cause", "range", "patterns", "by_provider", "by_model", "problems"]) assert.ok(key in report, key);
    assert.equal(report.billed, "0.0585");
    assert.deepEqual(Object.keys(report.range), ["billed_low", "billed_high", "waste_low", "waste_high"]);
  });

  it("reads events from standard input given as -, problems named stdin; --html refuses a pipe", async () => {
    const dir = workspace(["not json"]);
    const text = readFileSync(join(dir, "events.jsonl"), "utf8");
    const fromFile = JSON.parse((await runCli(["audit", "--json", "events.jsonl"], dir)).stdout) as { problems: { file: string; line: number }[] };
    const r = spawnCli(["audit", "--json", "-"], dir, text);
    assert.equal(r.code, 0, r.stderr);
    const fromStdin = JSON.parse(r.stdout) as { problems: { file: string; line: number }[] };
    assert.deepEqual(fromStdin.problems.map((p) => `${p.file}:${p.line}`), ["stdin:4"]);
    assert.deepEqual({ ...fromStdin, problems: [] }, { ...fromFile, problems: [] });
    const html = spawnCli(["audit", "--html", "report.html", "-"], dir, text);
    assert.equal(html.code, 2);
    assert.match(html.stderr, /--html reads the event files twice .* stdin is a pipe: save it to a file first/);
    // Other commands that read their input twice refuse it too; read once, it is taken.
    const strict = spawnCli(["ingest", "--strict", "--db", "l.db", "-"], dir, text);
    assert.equal(strict.code, 2);
    assert.match(strict.stderr, /--strict reads the event files twice .* stdin is a pipe/);
    assert.ok(!existsSync(join(dir, "l.db")));
    const filtered = spawnCli(["export", "events", "--since", "2026-11-01", "--events", "-"], dir, text);
    assert.equal(filtered.code, 2);
    assert.match(filtered.stderr, /read the event files twice, and stdin is a pipe/);
    writeFileSync(join(dir, "bill.csv"), "request_id,amount,currency\nnone-such,0.01,USD\n");
    const bill = ["reconcile", "--invoice", "bill.csv", "--provider", "test", "--json", "--events"];
    const reconciled = spawnCli([...bill, "-"], dir, text);
    assert.equal(reconciled.code, 0, reconciled.stderr);
    // The same, but for the name of the input in its problems.
    assert.deepEqual(JSON.parse(reconciled.stdout.replaceAll("stdin", "events.jsonl")), JSON.parse(spawnCli([...bill, "events.jsonl"], dir).stdout));
    const ingested = spawnCli(["ingest", "--db", "l.db", "-"], dir, text);
    assert.equal(ingested.code, 0, ingested.stderr);
    assert.match(ingested.stdout + ingested.stderr, /3 new/);
  });

  it("bad lines are problems with file and line; the rest is still audited", async () => {
    const dir = workspace(["not json", JSON.stringify(ev({ job: "b", attempt: 1 }, "created", 5, { attempt: "x" })), JSON.stringify({ ...ev({ job: "c", attempt: 1 }, "teleported", 5) })]);
    const r = await runCli(["audit", "--json", "events.jsonl"], dir);
    assert.equal(r.code, 0);
    const report = JSON.parse(r.stdout);
    assert.equal(report.billed, "0.0585");
    assert.deepEqual(
      report.problems.map((p: { file: string; line: number }) => `${p.file}:${p.line}`),
      ["events.jsonl:4", "events.jsonl:5", "events.jsonl:6"],
    );
    assert.match(report.problems[1].why, /field 'attempt' must be an integer >= 1/);
    assert.match(report.problems[2].why, /unknown event type "teleported"/);
  });

  it("--strict turns problems into exit 1 and lists them on stderr; the report is still printed", () => {
    const dir = workspace(["{oops"]);
    const r = spawnCli(["audit", "--strict", "events.jsonl"], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /events\.jsonl:4: not JSON/);
    assert.match(r.stderr, /--strict: 1 problem found/);
    const json = spawnCli(["audit", "--strict", "--json", "events.jsonl"], dir);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout);
    assert.equal(report.billed, "0.0585");
    assert.deepEqual(report.problems.map((p: { file: string; line: number }) => `${p.file}:${p.line}`), ["events.jsonl:4"]);
    assert.equal(spawnCli(["audit", "--strict", "--json", "events.jsonl"], workspace()).code, 0);
  });

  it("refuses --since not before --until, and says when the filters match nothing", () => {
    const dir = workspace();
    const r = spawnCli(["audit", "--since", "2026-11-02", "--until", "2026-11-01", "events.jsonl"], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--since 2026-11-02 is not before --until 2026-11-01/);
    const none = spawnCli(["audit", "--provider", "nosuch", "events.jsonl"], dir);
    assert.equal(none.code, 0);
    assert.match(none.stderr, /no attempt matches the filters/);
  });

  it("ends quietly when the reader of its output stops early (| head)", async () => {
    const big = mkdtempSync(join(tmpdir(), "failcost-pipe-"));
    const lines: string[] = [];
    for (let j = 0; j < 3000; j++) lines.push(...success({ job: `j${j}`, attempt: 1 }, j).map((e) => JSON.stringify(e)));
    writeFileSync(join(big, "events.jsonl"), `${lines.join("\n")}\n`);
    mkdirSync(join(big, "policies"));
    writeFileSync(join(big, "policies", "test.yaml"), TEST_POLICY_YAML);
    const r = await spawnCliClosingEarly(["export", "focus", "--events", "events.jsonl"], big);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /EPIPE|Error/);
  });

  it("problems name each file as it was given", async () => {
    const dir = workspace(["{oops"]);
    const outside = mkdtempSync(join(tmpdir(), "failcost-cwd-"));
    const absolute = join(dir, "events.jsonl");
    const r = await runCli(["audit", "--json", absolute], outside);
    assert.deepEqual(JSON.parse(r.stdout).problems.map((p: { file: string }) => p.file), [absolute]);
    const rel = await runCli(["audit", "--json", "./events.jsonl"], dir);
    assert.deepEqual(JSON.parse(rel.stdout).problems.map((p: { file: string }) => p.file), ["./events.jsonl"]);
  });

  it("exit 2 for an unreadable file, bad usage and an invalid policy, with the message", () => {
    const dir = workspace();
    const missing = spawnCli(["audit", "missing.jsonl"], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*missing\.jsonl: no such file/);
    assert.match(missing.stderr, /cannot read missing\.jsonl:/, "named as given");
    // Corrupt gzip data is found while reading, after the file opened: named as given too.
    writeFileSync(join(dir, "broken.jsonl.gz"), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5]));
    const broken = spawnCli(["audit", "broken.jsonl.gz"], dir);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /cannot read broken\.jsonl\.gz: corrupt gzip data/);
    const ingested = spawnCli(["ingest", "--db", "x.db", "broken.jsonl.gz"], dir);
    assert.match(ingested.stderr, /cannot read broken\.jsonl\.gz: corrupt gzip data/);
    assert.equal(spawnCli(["audit"], dir).code, 2);
    assert.equal(spawnCli(["audit", "--by", "planet", "events.jsonl"], dir).code, 2);
    assert.equal(spawnCli(["audit", "--frobnicate", "events.jsonl"], dir).code, 2);
    writeFileSync(join(dir, "policies", "test.yaml"), TEST_POLICY_YAML.replace("polls: true", "polls: often"));
    const bad = spawnCli(["audit", "events.jsonl"], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /policies\/test\.yaml:\d+: polls: expected true, false or "unknown", got "often"/);
  });

  it("finds policies beside the first event file, and takes --policies", async () => {
    const dir = workspace();
    const outside = mkdtempSync(join(tmpdir(), "failcost-cwd-"));
    const r = await runCli(["audit", "--json", join(dir, "events.jsonl")], outside);
    assert.equal(JSON.parse(r.stdout).billed, "0.0585");
    const r2 = await runCli(["audit", "--json", "--policies", join(dir, "policies", "test.yaml"), join(dir, "events.jsonl")], outside);
    assert.equal(JSON.parse(r2.stdout).billed, "0.0585");
  });

  it("--by model and day show those breakdowns", async () => {
    const r = await runCli(["audit", "--by", "model", "--by", "day", "events.jsonl"], workspace());
    assert.match(r.stdout, /By model/);
    assert.match(r.stdout, /^ {2}test\/img +1 /m); // provider "test", model "test/img": the provider once
    assert.match(r.stdout, /By day \(UTC\)/);
    assert.match(r.stdout, /2026-11-01/);
  });
});
