import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventRow } from "../../src/ledger/event-row.js";
import { murmur3x86x128 } from "../../src/ledger/murmur3.js";
import { stored } from "./ledger-fixtures.js";

const COMPLETED = { ts: "2026-11-01T10:00:00.5Z", type: "completed", provider: "replicate", model: "black-forest-labs/flux-schnell", job: "hero-42", attempt: 2, request_id: "p-1", outcome: "succeeded", run_seconds: 1.25, units: { image: 4 } };

const identity = (v: Record<string, unknown>): string => {
  const r = eventRow(stored(v));
  return `${r.micros}:${r.hash}`;
};

describe("event identity", () => {
  it("is MurmurHash3 x86_128 as the reference computes it (SMHasher's verification value)", () => {
    const key = new Uint8Array(256);
    const hashes = new Uint8Array(16 * 256);
    const view = new DataView(hashes.buffer);
    for (let i = 0; i < 256; i++) {
      key[i] = i;
      const h = murmur3x86x128(key, i, 256 - i);
      for (let k = 0; k < 4; k++) view.setUint32(i * 16 + k * 4, h[k]!, true);
    }
    assert.equal(murmur3x86x128(hashes, hashes.length, 0)[0], 0xb3ece62a);
  });

  it("never changes: ledgers written by older versions must keep matching", () => {
    assert.deepEqual(eventRow(stored(COMPLETED)), {
      micros: 1793527200500000,
      hash: 1024544989233937,
      job: "hero-42",
      chargeRid: null,
      body: '{"attempt":2,"job":"hero-42","model":"black-forest-labs/flux-schnell","outcome":"succeeded","provider":"replicate","request_id":"p-1","run_seconds":1.25,"ts":"2026-11-01T10:00:00.5Z","type":"completed","units":{"image":4}}',
    });
    assert.deepEqual(eventRow(stored({ ts: "2026-11-01T10:00:00Z", type: "charged", provider: "replicate", request_id: "p-1", amount: "0.012", currency: "USD" })), {
      micros: 1793527200000000,
      hash: 3990743827823643,
      job: null,
      chargeRid: "p-1",
      body: '{"amount":"0.012","currency":"USD","provider":"replicate","request_id":"p-1","ts":"2026-11-01T10:00:00Z","type":"charged"}',
    });
  });

  it("is one identity for every spelling of the same event", () => {
    const id = identity(COMPLETED);
    for (const ts of ["2026-11-01T10:00:00.500Z", "2026-11-01 10:00:00.500000000Z", "2026-11-01T12:00:00.5+02:00", "2026-11-01T05:30:00.5-0430", "2026-11-01t10:00:00,5z"]) {
      assert.equal(identity({ ...COMPLETED, ts }), id, ts);
    }
    const reordered = Object.fromEntries(Object.entries(COMPLETED).reverse());
    assert.equal(identity({ ...reordered, error: null, prompt: "ignored", units: { image: 4 } }), id);
  });

  it("tells apart events that differ in any kept field or by a nanosecond", () => {
    const id = identity(COMPLETED);
    const variants: Record<string, unknown>[] = [
      { ...COMPLETED, attempt: 3 },
      { ...COMPLETED, job: "hero-43" },
      { ...COMPLETED, job: "héro-42" },
      { ...COMPLETED, run_seconds: 1.5 },
      { ...COMPLETED, run_seconds: "1.25" },
      { ...COMPLETED, units: { image: 5 } },
      { ...COMPLETED, outcome: "failed" },
      { ...COMPLETED, ts: "2026-11-01T10:00:00.500000001Z" },
    ];
    const ids = new Set(variants.map(identity));
    assert.equal(ids.size, variants.length);
    assert.ok(!ids.has(id));
  });

  it("keeps money as the decimal text it was given", () => {
    const body = eventRow(stored({ ts: "2026-11-01T10:00:00Z", type: "charged", provider: "p", request_id: "r", amount: "0.10000000000000000001", currency: "EUR" })).body;
    assert.equal(JSON.parse(body).amount, "0.10000000000000000001");
  });
});
