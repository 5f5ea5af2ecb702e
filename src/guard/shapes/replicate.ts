import { count, isJson, omit, stringFields, text } from "./json.js";
import type { ProviderShape, ShapeMatch } from "./types.js";

const CREATE = /^\/(?:(models|deployments)\/([^/]+\/[^/]+)\/)?predictions\/?$/;
const ONE = /^\/predictions\/([^/]+)(\/cancel)?\/?$/;
const NOT_INPUT = ["webhook", "webhook_events_filter", "stream"];

/**
 * Replicate's predictions API (https://replicate.com/docs/topics/predictions): create with
 * `POST /predictions` (a version) or `POST /models/{owner}/{name}/predictions`, poll
 * `GET /predictions/{id}`, cancel `POST /predictions/{id}/cancel`. With `Prefer: wait` the
 * create may answer with the finished prediction. No idempotency key is documented.
 */
export const replicateShape: ProviderShape = {
  provider: "replicate",
  baseUrls: ["https://api.replicate.com/v1"],
  outcomeFrom: "poll",
  match(method, path) {
    if (method === "POST") {
      const c = CREATE.exec(path);
      if (c) return c[2] ? { op: "create", model: c[2] } : { op: "create" };
    }
    const one = ONE.exec(path);
    if (!one) return undefined;
    if (one[2]) return method === "POST" ? { op: "cancel", requestId: one[1]! } : undefined;
    return method === "GET" ? { op: "poll", requestId: one[1]! } : undefined;
  },
  modelOf(match: ShapeMatch, body) {
    if (match.model) return match.model;
    if (isJson(body)) return text(body.model) ?? text(body.version) ?? "unknown";
    return "unknown";
  },
  inputOf: (body) => omit(body, NOT_INPUT),
  unitsAsked(body) {
    const n = isJson(body) && isJson(body.input) ? count(body.input.num_outputs) : undefined;
    return n !== undefined ? { image: n } : undefined;
  },
  kindOf: () => undefined,
  webhookAsked: (body) => isJson(body) && text(body.webhook) !== undefined,
  requestIdOf: (body) => (isJson(body) ? text(body.id) : undefined),
  linksOf: (body) => (isJson(body) ? stringFields(body.urls) : {}),
  pollRequest: (l) => ({ url: l.urls.get ?? `${l.base}/predictions/${l.requestId}`, method: "GET" }),
  cancelRequest: (l) => ({ url: l.urls.cancel ?? `${l.base}/predictions/${l.requestId}/cancel`, method: "POST" }),
};
