import { falShape, falSyncShape } from "./fal.js";
import { openaiShape } from "./openai.js";
import { replicateShape } from "./replicate.js";
import { runwayShape } from "./runway.js";
import type { ProviderShape, ShapeMatch } from "./types.js";

export type { FollowUp, JobLinks, Operation, ProviderShape, ShapeMatch } from "./types.js";

/** The provider shapes the guard knows, by name (`fal-sync` is fal's direct endpoint). */
export const SHAPES: Readonly<Record<string, ProviderShape>> = {
  replicate: replicateShape,
  fal: falShape,
  "fal-sync": falSyncShape,
  openai: openaiShape,
  runway: runwayShape,
};

/** A request the guard recognised: which shape, which base URL, and what the request is. */
export interface Routed {
  readonly shape: ProviderShape;
  readonly base: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly match: ShapeMatch;
}

/** Finds which provider a URL belongs to, by base URL prefix (the longest wins). */
export class EndpointTable {
  private readonly entries: { base: string; shape: ProviderShape }[] = [];

  /** `extra` maps more base URLs (a proxy, a fake provider) to shape names. */
  constructor(extra: Readonly<Record<string, string>> = {}, includeDefaults = true) {
    if (includeDefaults) for (const shape of Object.values(SHAPES)) for (const base of shape.baseUrls) this.add(base, shape);
    for (const [base, name] of Object.entries(extra)) {
      const shape = SHAPES[name];
      if (!shape) throw new Error(`unknown provider shape '${name}' for ${base} (known: ${Object.keys(SHAPES).join(", ")})`);
      this.add(base, shape);
    }
    this.entries.sort((a, b) => b.base.length - a.base.length);
  }

  private add(base: string, shape: ProviderShape): void {
    this.entries.push({ base: base.replace(/\/+$/, ""), shape });
  }

  /** The shape and operation of a request, or undefined for anything else (passed through untouched). */
  route(method: string, url: string): Routed | undefined {
    for (const { base, shape } of this.entries) {
      if (!url.startsWith(base)) continue;
      const next = url.charAt(base.length);
      if (next !== "" && next !== "/" && next !== "?") continue;
      const q = url.indexOf("?", base.length);
      const path = (q < 0 ? url.slice(base.length) : url.slice(base.length, q)) || "/";
      const match = shape.match(method, path);
      if (!match) return undefined;
      return { shape, base, path, query: new URLSearchParams(q < 0 ? "" : url.slice(q + 1)), match };
    }
    return undefined;
  }
}
