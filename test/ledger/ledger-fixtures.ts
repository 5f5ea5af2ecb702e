// Small helpers shared by the ledger's tests.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { fileURLToPath } from "node:url";
import { writeEventsFile, type GenerateOptions } from "../../bench/generate-events.js";
import { isEventProblem, readEvent, type Ledger, type Policy, type Report, type StoredEvent } from "../../src/core/index.js";
import { loadPolicies } from "../../src/policies/load-policies.js";

/** A checked event with its time, as the ledger takes it; throws on a bad fixture. */
export function stored(value: Record<string, unknown>): StoredEvent {
  const r = readEvent(value);
  if (isEventProblem(r)) throw new Error(`bad fixture ${JSON.stringify(value)}: ${r.why}`);
  return { event: r.event, micros: r.at.micros };
}

/** A fresh temporary folder, removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "failcost-ledger-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes values as a JSON Lines file and returns its path. */
export function writeJsonl(dir: string, name: string, values: Iterable<Record<string, unknown>>): string {
  const lines: string[] = [];
  for (const v of values) lines.push(JSON.stringify(v));
  const path = join(dir, name);
  writeFileSync(path, lines.length > 0 ? `${lines.join("\n")}\n` : "");
  return path;
}

/** Every event a scan visits, as canonical JSON text with its time, sorted. */
export async function scanAll(ledger: Ledger, query = {}): Promise<string[]> {
  const out: string[] = [];
  await ledger.scan(query, (e) => out.push(`${e.micros} ${JSON.stringify(e.event, Object.keys(e.event).sort())}`));
  return out.sort();
}

/**
 * A report without what a filtered ledger audit counts differently by design: `events` (the
 * events it read) and unmatched charges (those among the charges it read).
 */
export function withoutReadCounts(r: Report): Omit<Report, "events" | "unmatched_charges" | "problems"> & { problems: Report["problems"] } {
  const { events: _e, unmatched_charges: _u, ...rest } = r;
  return { ...rest, problems: r.problems.filter((p) => !/matche?s? no attempt's request id/.test(p.why)) };
}

/** One millisecond time as µs. */
export const us = (iso: string): number => Date.parse(iso) * 1000;

/** Writes `events` events of the seeded synthetic workload to a JSON Lines file; returns its path and lines. */
export async function generatedFile(dir: string, name: string, events: number, seed: number, options: Partial<GenerateOptions> = {}): Promise<{ path: string; lines: string[] }> {
  const path = join(dir, name);
  await writeEventsFile(path, { events, seed, ...options });
  return { path, lines: readFileSync(path, "utf8").split("\n").filter((l) => l !== "") };
}

/** The examples' policies, which price the synthetic workload's providers. */
export function examplePolicies(): Promise<Policy[]> {
  return loadPolicies([fileURLToPath(new URL("../../examples/policies", import.meta.url))]);
}

/** Writes lines as a file and returns its path. */
export function writeLines(dir: string, name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.length > 0 ? `${lines.join("\n")}\n` : "");
  return path;
}
