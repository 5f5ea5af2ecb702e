import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EndpointTable } from "../../src/guard/shapes/index.js";

const table = new EndpointTable({ "http://127.0.0.1:9/fake/replicate/v1": "replicate" });
const r = (method: string, url: string) => {
  const x = table.route(method, url);
  return x && { provider: x.shape.provider, ...x.match };
};

describe("provider URL shapes", () => {
  it("knows Replicate's create, poll and cancel", () => {
    assert.deepEqual(r("POST", "https://api.replicate.com/v1/predictions"), { provider: "replicate", op: "create" });
    assert.deepEqual(r("POST", "https://api.replicate.com/v1/models/black-forest-labs/flux-dev/predictions"), { provider: "replicate", op: "create", model: "black-forest-labs/flux-dev" });
    assert.deepEqual(r("POST", "https://api.replicate.com/v1/deployments/acme/sdxl/predictions"), { provider: "replicate", op: "create", model: "acme/sdxl" });
    assert.deepEqual(r("GET", "https://api.replicate.com/v1/predictions/abc123"), { provider: "replicate", op: "poll", requestId: "abc123" });
    assert.deepEqual(r("POST", "https://api.replicate.com/v1/predictions/abc123/cancel"), { provider: "replicate", op: "cancel", requestId: "abc123" });
    assert.equal(r("GET", "https://api.replicate.com/v1/predictions"), undefined); // the list
    assert.equal(r("GET", "https://api.replicate.com/v1/models"), undefined);
  });

  it("knows fal's queue and direct endpoints", () => {
    assert.deepEqual(r("POST", "https://queue.fal.run/fal-ai/flux/dev?fal_webhook=x"), { provider: "fal", op: "create", model: "fal-ai/flux/dev" });
    assert.deepEqual(r("GET", "https://queue.fal.run/fal-ai/flux/requests/r-1/status?logs=0"), { provider: "fal", op: "poll", requestId: "r-1" });
    assert.deepEqual(r("GET", "https://queue.fal.run/fal-ai/flux/requests/r-1"), { provider: "fal", op: "result", requestId: "r-1" });
    assert.deepEqual(r("PUT", "https://queue.fal.run/fal-ai/flux/requests/r-1/cancel"), { provider: "fal", op: "cancel", requestId: "r-1" });
    assert.deepEqual(r("POST", "https://fal.run/fal-ai/flux/schnell"), { provider: "fal", op: "create", model: "fal-ai/flux/schnell", sync: true });
  });

  it("knows OpenAI's direct APIs and video jobs, and that DELETE is no cancel", () => {
    assert.deepEqual(r("POST", "https://api.openai.com/v1/images/generations"), { provider: "openai", op: "create", sync: true });
    assert.deepEqual(r("POST", "https://api.openai.com/v1/chat/completions"), { provider: "openai", op: "create", sync: true });
    assert.deepEqual(r("POST", "https://api.openai.com/v1/videos"), { provider: "openai", op: "create" });
    assert.deepEqual(r("GET", "https://api.openai.com/v1/videos/video_1"), { provider: "openai", op: "poll", requestId: "video_1" });
    assert.equal(r("DELETE", "https://api.openai.com/v1/videos/video_1"), undefined);
    assert.equal(r("GET", "https://api.openai.com/v1/videos/video_1/content"), undefined);
    assert.equal(r("GET", "https://api.openai.com/v1/models"), undefined);
  });

  it("knows Runway's tasks, where DELETE cancels", () => {
    assert.deepEqual(r("POST", "https://api.dev.runwayml.com/v1/image_to_video"), { provider: "runway", op: "create" });
    assert.deepEqual(r("GET", "https://api.dev.runwayml.com/v1/tasks/t1"), { provider: "runway", op: "poll", requestId: "t1" });
    assert.deepEqual(r("DELETE", "https://api.dev.runwayml.com/v1/tasks/t1"), { provider: "runway", op: "cancel", requestId: "t1" });
  });

  it("maps extra base URLs, matches whole path segments only, and passes everything else through", () => {
    assert.deepEqual(r("GET", "http://127.0.0.1:9/fake/replicate/v1/predictions/p1"), { provider: "replicate", op: "poll", requestId: "p1" });
    assert.equal(r("POST", "http://127.0.0.1:9/fake/replicate/v10/predictions"), undefined);
    assert.equal(r("POST", "https://api.replicate.com.evil.example/v1/predictions"), undefined);
    assert.equal(r("GET", "https://example.com/"), undefined);
    assert.throws(() => new EndpointTable({ "http://x": "nope" }), /unknown provider shape/);
  });
});
