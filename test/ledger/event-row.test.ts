import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseTimestamp } from "../../src/core/index.js";
import { eventRow } from "../../src/ledger/event-row.js";
import { integerText } from "../../src/ledger/integer-text.js";
import { murmur3x86x128 } from "../../src/ledger/murmur3.js";
import { stored } from "./ledger-fixtures.js";

const COMPLETED = { ts: "2026-11-01T10:00:00.5Z", type: "completed", provider: "replicate", model: "black-forest-labs/flux-schnell", job: "hero-42", attempt: 2, request_id: "p-1", outcome: "succeeded", run_seconds: 1.25, units: { image: 4 } };

/** The instant as the identity writes it: µs, and nanoseconds when there are any. */
function referenceInstant(ts: string, micros: number): string {
  const at = parseTimestamp(ts);
  return typeof at === "string" || at.nanos === 0 ? String(micros) : `${micros}.${String(at.nanos).padStart(3, "0")}`;
}

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

  it("pins identities of events with escapes, non-ASCII text, nanoseconds and unsorted units", () => {
    const pinned: [Record<string, unknown>, number, number][] = [
      [
        { ts: "2026-11-01T10:00:00.123456789+01:00", type: "submitted", provider: "fal", model: "fal-ai/flux/dev", job: "job-\u00fc-\u2603-\u{1f600}", attempt: 1, input_hash: "abc", kind: "image", units: { z: 2, megapixel: 1.05, a: 3 }, webhook: true, idempotency_key: "k\\1\n\t\u0001" },
        1793523600123456,
        4507729998736434,
      ],
      [{ ts: "2026-11-01 10:00:00Z", type: "rejected", provider: "openai", model: "gpt-image-1", job: "j", attempt: 3, error: "rate_limit", http_status: 429 }, 1793527200000000, 6173472061281925],
      [{ ts: "2026-11-01T10:00:00.000000001Z", type: "client_timeout", provider: "runway", model: "gen4_turbo", job: "job-7", attempt: 2, request_id: "r7", waited_seconds: 600 }, 1793527200000000, 418750893167125],
      [{ ts: "1969-12-31T23:59:59.5Z", type: "webhook_failed", provider: "replicate", model: "m", job: "old", attempt: 1, requeued: false }, -500000, 255769013879191],
    ];
    for (const [value, micros, hash] of pinned) assert.equal(identity(value), `${micros}:${hash}`, JSON.stringify(value));
  });

  it("is the definition: JSON.stringify of the kept fields, sorted, with ts as its instant", () => {
    const text = fc.oneof(fc.string({ unit: "grapheme", minLength: 1 }), fc.string({ unit: "binary", minLength: 1 }), fc.constantFrom("job-1", "a\"b", "c\\d", "\n"));
    const units = fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("image", "video_second")), fc.double({ min: 0, max: 1e6, noNaN: true }), { maxKeys: 3 });
    const event = fc.record({
      ts: fc.constantFrom("2026-11-01T10:00:00Z", "2026-11-01T10:00:00.5+02:00", "2026-11-01T10:00:00.123456789Z", "2026-11-01 10:00:00.000001z"),
      type: fc.constant("submitted"),
      provider: text,
      model: text,
      job: text,
      attempt: fc.integer({ min: 1, max: 1000 }),
      input_hash: fc.option(text),
      kind: fc.option(fc.constantFrom("image", "video")),
      units,
      webhook: fc.option(fc.boolean()),
    });
    fc.assert(
      fc.property(event, (value) => {
        const s = stored(value);
        const row = eventRow(s);
        const e = s.event as unknown as Record<string, unknown>;
        const kept: Record<string, unknown> = {};
        for (const k of Object.keys(e).sort()) {
          const v = e[k];
          if (v === null || v === undefined || k === "prompt") continue;
          kept[k] = typeof v === "object" ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v;
        }
        assert.equal(row.body, JSON.stringify(kept));
        const identityText = JSON.stringify({ ...kept, ts: "@" }).replace('"ts":"@"', `"ts":"${referenceInstant(s.event.ts, s.micros)}"`);
        const bytes = Buffer.from(identityText, "utf8");
        const [h1, h2] = murmur3x86x128(bytes, bytes.length);
        assert.equal(row.hash, h1 * 2 ** 21 + (h2 >>> 11));
      }),
      { numRuns: 300 },
    );
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

describe("integerText", () => {
  it("writes every integer exactly as String does", () => {
    for (const n of [0, -1, 1e9 - 1, 1e9, 1e9 + 7, 1_785_000_000_000_000, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1.5, -0]) assert.equal(integerText(n), String(n), String(n));
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => integerText(n) === String(n)));
  });
});
