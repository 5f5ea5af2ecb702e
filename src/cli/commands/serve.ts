import { createHash, randomBytes } from "node:crypto";
import { resolve } from "node:path";
import type { Policy } from "../../core/index.js";
import { UsageError } from "../../errors.js";
import { openLedgerAt } from "../../reconcile/event-input.js";
import { isLocalHost } from "../../server/access.js";
import { startDashboardServer, type DashboardServer, type Mount } from "../../server/dashboard-server.js";
import { ledgerSnapshots } from "../../server/ledger-snapshots.js";
import { createViewStore } from "../../server/view-store.js";
import { workerCompute } from "../../server/worker-compute.js";
import type { CliIo } from "../io.js";
import { parseAmount, parseCount } from "../options.js";
import { resolvePolicies } from "../resolve-policies.js";

/** The serve command's options, as parsed. */
export interface ServeCommandOptions {
  readonly db?: string;
  readonly policies?: string[];
  readonly host?: string;
  readonly port?: string;
  readonly token?: string;
  readonly window?: string;
  readonly top?: string;
  readonly refresh?: string;
}

/** The default ledger: an SQLite file in the working folder. */
const DEFAULT_LEDGER = "failcost.db";

function isUrl(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(target);
}

/** The ledger in words for the page: a database URL never shows its password. */
export function describeTarget(target: string): string {
  if (!isUrl(target)) return `ledger ${target}`;
  try {
    const u = new URL(target);
    if (u.password !== "") u.password = "***";
    return `ledger ${u.href}`;
  } catch {
    return "the PostgreSQL ledger";
  }
}

/** Bumped when the stored view's shape changes, so an old snapshot is recomputed. */
const VIEW_FORMAT = 1;

function fingerprint(policies: readonly Policy[], windowSeconds: number, topJobs: number): string {
  const text = JSON.stringify({ VIEW_FORMAT, policies, windowSeconds, topJobs }, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  return createHash("sha256").update(text).digest("hex");
}

/** A running `failcost serve`, for the command and its tests. */
export interface Serving {
  readonly server: DashboardServer;
  /** The link to open (with the token when one is needed). */
  readonly link: string;
  close(): Promise<void>;
}

/** Opens the ledger and starts the dashboard; `mounts` adds handlers such as a webhook receiver. */
export async function startServing(raw: Record<string, unknown>, io: CliIo, mounts: readonly Mount[] = []): Promise<Serving> {
  const opts = raw as ServeCommandOptions;
  const given = opts.db ?? (io.env.FAILCOST_DB !== undefined && io.env.FAILCOST_DB !== "" ? io.env.FAILCOST_DB : DEFAULT_LEDGER);
  const target = isUrl(given) ? given : resolve(io.cwd, given);
  const host = opts.host ?? "127.0.0.1";
  const port = parseCount("--port", opts.port) ?? 7411;
  if (port > 65535) throw new UsageError(`--port ${port}: expected a port number up to 65535`);
  const windowSeconds = (parseAmount("--window", opts.window) ?? 10) * 60;
  const topJobs = parseCount("--top", opts.top) ?? 10;
  const refreshMs = Math.max(200, (parseAmount("--refresh", opts.refresh) ?? 2) * 1000);
  const wanted = opts.token ?? io.env.FAILCOST_DASHBOARD_TOKEN;
  if (wanted !== undefined && wanted.length < 16) throw new UsageError("--token: use at least 16 characters (or leave it out and one is made for you)");
  const token = wanted ?? (isLocalHost(host) ? undefined : randomBytes(18).toString("base64url"));
  const { policies } = await resolvePolicies(opts.policies, isUrl(target) ? [] : [target], io.cwd);
  const ledger = await openLedgerAt(target, io.cwd);
  try {
    const options = { policies, duplicateWindowSeconds: windowSeconds, topJobs, source: describeTarget(given) };
    const { compute, cancel } = workerCompute(target, options);
    const store = createViewStore({ compute, cancel, changeCount: () => ledger.changeCount(), snapshots: ledgerSnapshots(ledger), fingerprint: fingerprint(policies, windowSeconds, topJobs) });
    await store.start();
    const server = await startDashboardServer({ store, ledger, host, port, refreshMs, mounts, ...(token !== undefined ? { token } : {}) });
    const link = token === undefined ? server.url : `${server.url}?token=${encodeURIComponent(token)}`;
    return {
      server,
      link,
      async close() {
        await server.close();
        await store.idle();
        await ledger.close();
      },
    };
  } catch (e) {
    await ledger.close();
    throw e;
  }
}

/** `failcost serve`: the local dashboard over a ledger, until interrupted. */
export async function serve(_args: unknown[], raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const serving = await startServing(raw, io);
  io.stdout.write(`failcost dashboard: ${serving.link}\n(Ctrl-C stops it)\n`);
  await new Promise<void>((done) => {
    process.once("SIGINT", () => done());
    process.once("SIGTERM", () => done());
  });
  await serving.close();
  return 0;
}
