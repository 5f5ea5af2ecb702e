import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bufferResponse, readOutgoing } from "../../src/guard/http.js";

describe("reading exchanges once", () => {
  it("gives the caller a response that reads like the original, from memory", async () => {
    const original = new Response('{"id":"p1","status":"starting"}', { status: 201, statusText: "Created", headers: { "content-type": "application/json", "x-request-id": "req_1" } });
    const b = await bufferResponse(original);
    assert.deepEqual(b.json, { id: "p1", status: "starting" });
    assert.equal(b.headers["x-request-id"], "req_1");
    const res = b.response;
    assert.ok(res instanceof Response);
    assert.deepEqual([res.status, res.statusText, res.ok, res.headers.get("content-type")], [201, "Created", true, "application/json"]);
    assert.equal(res.bodyUsed, false);
    const copy = res.clone();
    assert.deepEqual(await res.json(), { id: "p1", status: "starting" });
    assert.equal(res.bodyUsed, true);
    assert.equal(await copy.text(), '{"id":"p1","status":"starting"}');
    assert.equal(new TextDecoder().decode(await new Response(b.response.clone().body).arrayBuffer()), '{"id":"p1","status":"starting"}');
    assert.equal((await (await bufferResponse(new Response(null, { status: 204 }))).response.text()), "");
  });

  it("reads a request's body whatever form it was given in", async () => {
    const json = await readOutgoing("https://x/y", { method: "POST", body: '{"b":1}', headers: { Authorization: "Bearer k" } }, "https://x/y", "POST");
    assert.deepEqual(json.json, { b: 1 });
    assert.equal(new Headers(json.headers).get("authorization"), "Bearer k");
    const bytes = await readOutgoing("https://x/y", { method: "POST", body: new TextEncoder().encode('{"c":2}') }, "https://x/y", "POST");
    assert.deepEqual(bytes.json, { c: 2 });
    const form = new FormData();
    form.set("model", "sora-2");
    form.set("input_reference", new Blob(["abc"], { type: "image/png" }), "ref.png");
    const f = await readOutgoing("https://x/y", { method: "POST", body: form }, "https://x/y", "POST");
    assert.equal((f.json as { model: string }).model, "sora-2");
    assert.deepEqual((f.json as { input_reference: unknown }).input_reference, { name: "ref.png", type: "image/png", size: 3, sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" });
    const req = await readOutgoing(new Request("https://x/y", { method: "POST", body: '{"d":3}', headers: { "x-a": "1" } }), { headers: { "x-b": "2" } }, "https://x/y", "POST");
    assert.deepEqual(req.json, { d: 3 });
    assert.deepEqual([new Headers(req.headers).get("x-a"), new Headers(req.headers).get("x-b")], ["1", "2"]);
  });
});
