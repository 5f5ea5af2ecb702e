import { count, isJson, stringFields, text } from "./json.js";
import type { JobLinks, ProviderShape } from "./types.js";

const ONE = /^\/(.+?)\/requests\/([^/]+)(\/status|\/cancel)?\/?$/;

/** The `{owner}/{app}` part of a fal endpoint id (`fal-ai/flux/dev` → `fal-ai/flux`), which queue URLs use. */
function appOf(model: string): string {
  return model.split("/").slice(0, 2).join("/");
}

function queueUrl(l: JobLinks, suffix: string): string {
  return `${l.base}/${appOf(l.model)}/requests/${l.requestId}${suffix}`;
}

/**
 * fal's queue (https://fal.ai/docs/inference-api/queue): submit with `POST /{endpoint}`, status
 * `GET /{owner}/{app}/requests/{id}/status`, result `GET /{owner}/{app}/requests/{id}`, cancel
 * `PUT …/requests/{id}/cancel`. The status never says failed: the outcome is read from the
 * result. A webhook is asked with `?fal_webhook=`. No idempotency key is documented.
 */
export const falShape: ProviderShape = {
  provider: "fal",
  baseUrls: ["https://queue.fal.run"],
  outcomeFrom: "result",
  match(method, path) {
    const one = ONE.exec(path);
    if (one) {
      const [, , id, tail] = one;
      if (tail === "/cancel") return method === "PUT" ? { op: "cancel", requestId: id! } : undefined;
      if (method !== "GET") return undefined;
      return tail === "/status" ? { op: "poll", requestId: id! } : { op: "result", requestId: id! };
    }
    if (method === "POST" && path.length > 1 && !path.includes("/requests/")) return { op: "create", model: path.slice(1).replace(/\/$/, "") };
    return undefined;
  },
  modelOf: (match) => match.model ?? "unknown",
  inputOf: (body) => body,
  unitsAsked(body) {
    const n = isJson(body) ? count(body.num_images) : undefined;
    return n !== undefined ? { image: n } : undefined;
  },
  kindOf: () => undefined,
  webhookAsked: (_body, query) => query.has("fal_webhook"),
  requestIdOf: (body, headers) => (isJson(body) ? text(body.request_id) : undefined) ?? headers["x-fal-request-id"],
  linksOf: (body) => stringFields(body),
  pollRequest: (l) => ({ url: l.urls.status_url ?? queueUrl(l, "/status"), method: "GET" }),
  cancelRequest: (l) => ({ url: l.urls.cancel_url ?? queueUrl(l, "/cancel"), method: "PUT" }),
  resultRequest: (l) => ({ url: l.urls.response_url ?? queueUrl(l, ""), method: "GET" }),
};

/** fal's direct endpoint (`https://fal.run/{endpoint}`): the response is the result; nothing to poll. */
export const falSyncShape: ProviderShape = {
  ...falShape,
  baseUrls: ["https://fal.run"],
  outcomeFrom: "poll",
  match: (method, path) => (method === "POST" && path.length > 1 ? { op: "create", model: path.slice(1).replace(/\/$/, ""), sync: true } : undefined),
  pollRequest: () => undefined,
  cancelRequest: () => undefined,
  resultRequest: () => undefined,
};
