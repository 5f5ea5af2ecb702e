import { isJson, text } from "./json.js";
import type { ProviderShape } from "./types.js";

const TASK = /^\/tasks\/([^/]+)\/?$/;

/**
 * Runway's API (https://docs.dev.runwayml.com): a generation `POST` (`/image_to_video`,
 * `/text_to_image`, …) returns a task id; `GET /tasks/{id}` polls it and `DELETE /tasks/{id}`
 * cancels a running task. failcost has no Runway body format yet, so the guard records
 * submissions, polls and cancels, but not outcomes.
 */
export const runwayShape: ProviderShape = {
  provider: "runway",
  baseUrls: ["https://api.dev.runwayml.com/v1"],
  outcomeFrom: "poll",
  match(method, path) {
    const task = TASK.exec(path);
    if (task) {
      if (method === "GET") return { op: "poll", requestId: task[1]! };
      if (method === "DELETE") return { op: "cancel", requestId: task[1]! };
      return undefined;
    }
    return method === "POST" && /^\/[a-z_]+\/?$/.test(path) ? { op: "create" } : undefined;
  },
  modelOf: (_m, body) => (isJson(body) ? text(body.model) : undefined) ?? "unknown",
  inputOf: (body) => body,
  unitsAsked: () => undefined,
  kindOf: (_m, path) => (path.includes("video") ? "video" : path.includes("image") ? "image" : undefined),
  webhookAsked: () => false,
  requestIdOf: (body) => (isJson(body) ? text(body.id) : undefined),
  linksOf: () => ({}),
  pollRequest: (l) => ({ url: `${l.base}/tasks/${l.requestId}`, method: "GET" }),
  cancelRequest: (l) => ({ url: `${l.base}/tasks/${l.requestId}`, method: "DELETE" }),
};
