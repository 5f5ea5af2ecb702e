import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import type { ProviderFormat } from "../../src/providers/index.js";

/** The folder of a provider's golden fixture files. */
export function fixtureDir(provider: string): string {
  return join(import.meta.dirname, "fixtures", provider);
}

/** Reads a fixture file as JSON. */
export function readFixture(provider: string, name: string): unknown {
  return JSON.parse(readFileSync(join(fixtureDir(provider), name), "utf8"));
}

/**
 * One test per `<name>.json` fixture with a `<name>.facts.json` beside it: `readJobObject`
 * must give exactly those facts. An input hash is compared as "HASH" once its form is checked.
 */
export function goldenFacts(format: ProviderFormat): void {
  const dir = fixtureDir(format.provider);
  const names = readdirSync(dir).filter((f) => f.endsWith(".facts.json"));
  assert.ok(names.length > 0, `no golden facts in ${dir}`);
  for (const factsName of names) {
    const name = factsName.replace(/\.facts\.json$/, ".json");
    it(`reads ${format.provider}/${name} as its golden facts`, () => {
      const got = format.readJobObject(readFixture(format.provider, name));
      if (typeof got === "string") assert.fail(`not read: ${got}`);
      const facts = { ...(got as object) } as Record<string, unknown>;
      if (facts.inputHash !== undefined) {
        assert.match(facts.inputHash as string, /^sha256:[0-9a-f]{64}$/);
        facts.inputHash = "HASH";
      }
      assert.deepEqual(facts, readFixture(format.provider, factsName));
    });
  }
}
