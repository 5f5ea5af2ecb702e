import type { Kind, Units } from "../../core/index.js";
import { count, isJson, text } from "./json.js";
import type { ProviderShape } from "./types.js";

const SYNC: readonly [RegExp, Kind][] = [
  [/^\/images\/(generations|edits|variations)\/?$/, "image"],
  [/^\/(chat\/completions|responses|completions)\/?$/, "text"],
  [/^\/audio\/speech\/?$/, "audio"],
];
const VIDEO_CREATE = /^\/videos(\/[^/]+\/remix|\/edits|\/extensions)?\/?$/;
const VIDEO_ONE = /^\/videos\/([^/]+)\/?$/;

/**
 * OpenAI's API (https://platform.openai.com/docs/api-reference): images, text and speech answer
 * the create directly (the request id is the `x-request-id` header); videos are jobs created with
 * `POST /videos` and polled with `GET /videos/{id}`. There is no cancel (DELETE removes a video),
 * so a timed-out video is tracked until it ends. No idempotency key is documented.
 */
export const openaiShape: ProviderShape = {
  provider: "openai",
  baseUrls: ["https://api.openai.com/v1"],
  outcomeFrom: "poll",
  match(method, path) {
    if (method === "POST") {
      if (SYNC.some(([re]) => re.test(path))) return { op: "create", sync: true };
      if (VIDEO_CREATE.test(path)) return { op: "create" };
      return undefined;
    }
    const one = VIDEO_ONE.exec(path);
    return one && method === "GET" ? { op: "poll", requestId: one[1]! } : undefined;
  },
  modelOf: (_match, body) => (isJson(body) ? text(body.model) : undefined) ?? "unknown",
  inputOf: (body) => body,
  unitsAsked(body, kind): Units | undefined {
    if (!isJson(body)) return undefined;
    if (kind === "video") {
      const seconds = count(body.seconds);
      return seconds !== undefined ? { video_second: seconds } : undefined;
    }
    return kind === "image" ? { image: count(body.n) ?? 1 } : undefined;
  },
  kindOf(match, path) {
    if (!match.sync) return "video";
    return SYNC.find(([re]) => re.test(path))?.[1];
  },
  webhookAsked: () => false,
  requestIdOf: (body, headers) => (isJson(body) && body.object === "video" ? text(body.id) : undefined) ?? headers["x-request-id"],
  linksOf: () => ({}),
  pollRequest: (l) => ({ url: `${l.base}/videos/${l.requestId}`, method: "GET" }),
  cancelRequest: () => undefined,
};
