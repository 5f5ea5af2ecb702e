import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Ledger } from "../core/index.js";
import { loadClientAssets } from "../report/html/client-assets.js";
import { readFilter } from "../report/html/filter.js";
import { renderPage } from "../report/html/render-page.js";
import { withEvents } from "../report/html/timeline.js";
import type { DashboardView, ModelName, ViewFilter, ViewResponse } from "../report/html/view.js";
import { decideAccess, isLocalHost } from "./access.js";
import { extrasOf, readExtraTexts } from "./ledger-snapshots.js";
import type { ViewState, ViewStore } from "./view-store.js";

/** A handler mounted beside the dashboard (the guard's webhook receiver): it checks its own callers. */
export interface Mount {
  /** Requests whose path starts with this go to the handler. */
  readonly path: string;
  readonly handler: RequestListener;
}

/** Options of the dashboard server. */
export interface DashboardServerOptions {
  readonly store: ViewStore;
  readonly ledger: Pick<Ledger, "jobEvents" | "readSnapshot">;
  /** Default 127.0.0.1. Any other address needs a token. */
  readonly host?: string;
  /** Default 7411; 0 picks a free port. */
  readonly port?: number;
  readonly token?: string;
  /** How often the ledger is checked for new events, and the page for new figures (ms, default 2000). */
  readonly refreshMs?: number;
  readonly mounts?: readonly Mount[];
}

/** A running dashboard. */
export interface DashboardServer {
  readonly url: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-resource-policy": "same-origin",
  "cache-control": "no-store",
};

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, "content-type": type, "content-length": Buffer.byteLength(body), ...headers });
  res.end(res.req.method === "HEAD" ? undefined : body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, "application/json; charset=utf-8", JSON.stringify(value));
}

/**
 * Starts the local dashboard over a ledger (node:http): the page (`/`, the filter in its URL),
 * the current figures (`/api/view`), a job's timeline (`/api/job`), and the report as JSON
 * (`/api/report`). The figures come from the view store, which serves the stored view at once
 * and recomputes in the background; the ledger is checked for new events every `refreshMs`.
 */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const host = options.host ?? "127.0.0.1";
  const local = isLocalHost(host);
  if (!local && (options.token === undefined || options.token.length < 16)) throw new Error("a dashboard bound beyond this machine needs a token of at least 16 characters");
  const refreshMs = options.refreshMs ?? 2000;
  const assets = await loadClientAssets();
  const { store, ledger } = options;
  // Stored results are compared as stored, and parsed only when they change.
  let extrasTexts = await readExtraTexts(ledger);
  let extras = extrasOf(extrasTexts);
  let extrasVersion = 0;

  const withExtras = (v: DashboardView): DashboardView => ({ ...v, extras });
  const stampOf = (s: ViewState): string | undefined => (s.stamp === undefined ? undefined : `${s.stamp}+${extrasVersion}`);
  const models = (): readonly ModelName[] | undefined => store.ask({}).view?.models;

  const viewResponse = (filter: ViewFilter, known: string | null): ViewResponse => {
    const s = store.ask(filter);
    const stamp = stampOf(s);
    if (s.error !== undefined) return { status: "error", message: s.error, ...(stamp !== undefined ? { stamp } : {}) };
    const fresh = s.view !== undefined && stamp !== known;
    const base = { ...(stamp !== undefined ? { stamp } : {}), ...(fresh ? { view: withExtras(s.view) } : {}) };
    if (!s.current) return { status: "computing", ...(s.progress !== undefined ? { progress: s.progress } : {}), ...base };
    return fresh ? { status: "ready", ...base } : { status: "unchanged", ...base };
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain; charset=utf-8", "method not allowed", { allow: "GET, HEAD" });
    const filter = readFilter(url.searchParams);
    if ("problem" in filter) {
      // The page itself gets words a person reads (plain text: nothing in it is markup); the API, JSON.
      if (url.pathname === "/") return send(res, 400, "text/plain; charset=utf-8", `failcost dashboard: ${filter.problem}\nOpen / without that filter, or fix it in the address.\n`);
      return json(res, 400, { status: "error", message: filter.problem });
    }
    switch (url.pathname) {
      case "/": {
        const s = store.ask(filter);
        const m = models();
        const stamp = stampOf(s);
        const page = renderPage({ config: { mode: "live", refreshMs, ...(m ? { models: m } : {}) }, ...(s.view ? { view: withExtras(s.view) } : {}), ...(stamp !== undefined ? { stamp } : {}) }, assets);
        return send(res, 200, "text/html; charset=utf-8", page.html, { "content-security-policy": page.csp });
      }
      case "/api/view":
        return json(res, 200, viewResponse(filter, url.searchParams.get("known")));
      case "/api/report": {
        const s = store.ask(filter);
        if (!s.view) return json(res, 503, { status: "computing", progress: s.progress });
        return json(res, 200, s.view.report);
      }
      case "/api/job": {
        const job = url.searchParams.get("job");
        if (job === null || job === "") return json(res, 400, { status: "error", message: "job: give the job id" });
        const known = store.ask(filter).view?.timelines.find((t) => t.job === job) ?? { job, attempts: [] };
        return json(res, 200, withEvents(known, await ledger.jobEvents(job)));
      }
      default:
        return send(res, 404, "text/plain; charset=utf-8", "not found");
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://dashboard.invalid");
    const mount = options.mounts?.find((m) => url.pathname === m.path || url.pathname.startsWith(`${m.path}/`));
    if (mount) return mount.handler(req, res);
    const access = decideAccess(req, url, local, options.token);
    if (access.kind === "deny") return json(res, access.status, { status: "error", message: access.message });
    if (access.kind === "login") return send(res, 303, "text/plain; charset=utf-8", "", { location: access.location, "set-cookie": access.cookie });
    route(req, res, url).catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, { status: "error", message: e instanceof Error ? e.message : String(e) });
      else res.destroy();
    });
  });

  let ticking = false;
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    void (async () => {
      try {
        await store.refresh();
        const texts = await readExtraTexts(ledger);
        const names = Object.keys(texts);
        if (names.length !== Object.keys(extrasTexts).length || names.some((n) => texts[n] !== extrasTexts[n])) {
          extrasTexts = texts;
          extras = extrasOf(texts);
          extrasVersion++;
        }
      } catch {
        // The ledger may be busy or briefly unavailable: the next tick tries again.
      } finally {
        ticking = false;
      }
    })();
  }, refreshMs);
  timer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 7411, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/`,
    async close() {
      clearInterval(timer);
      store.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
