import { createHash, randomBytes } from "node:crypto";
import type { Policy } from "../../core/index.js";
import { UsageError } from "../../errors.js";
import { resolveLedgerTarget } from "../../ledger/ledger-target.js";
import { isPostgresTarget, openLedger } from "../../ledger/open-ledger.js";
import { providerFormat } from "../../providers/index.js";
import { SDK_RETRY_RULES } from "../../providers/sdk-retry-rules.js";
import { isLocalHost } from "../../server/access.js";
import { startDashboardServer, type DashboardServer, type Mount } from "../../server/dashboard-server.js";
import { ledgerSnapshots } from "../../server/ledger-snapshots.js";
import { createViewStore } from "../../server/view-store.js";
import { workerCompute } from "../../server/worker-compute.js";
import type { ViewComputeOptions } from "../../server/compute-view.js";
import { createLedgerWebhookHandler } from "../../guard/ledger-webhook-handler.js";
import type { CliIo } from "../io.js";
import { parseAmount, parseCount } from "../options.js";
import { resolvePolicies } from "../resolve-policies.js";
import { upgradeNotice } from "../upgrade-notice.js";

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
  /** Providers whose webhooks to receive. */
  readonly webhook?: string[];
}

/** Bumped when the stored view's shape changes, so an old snapshot is recomputed. */
const VIEW_FORMAT = 2;

function fingerprint(policies: readonly Policy[], windowSeconds: number, topJobs: number): string {
  const text = JSON.stringify({ VIEW_FORMAT, policies, sdkRetries: SDK_RETRY_RULES, windowSeconds, topJobs }, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  return createHash("sha256").update(text).digest("hex");
}

/** A running `failcost serve`, for the command and its tests. */
export interface Serving {
  readonly server: DashboardServer;
  /** The link to open (with the token when one is needed). */
  readonly link: string;
  close(): Promise<void>;
}

/**
 * Opens the ledger and starts the dashboard; `mounts` adds handlers such as a webhook receiver.
 * The server listens (and serves the stored view) while the policies are read: `listening` is
 * told the link then; bad policies close it again and throw.
 */
export async function startServing(raw: Record<string, unknown>, io: CliIo, extraMounts: readonly Mount[] = [], listening?: (link: string) => void): Promise<Serving> {
  const opts = raw as ServeCommandOptions;
  const webhooks = webhookSecrets(opts.webhook, io.env);
  const { target, display } = resolveLedgerTarget(opts.db, io.cwd, io.env);
  const host = opts.host ?? "127.0.0.1";
  const port = parseCount("--port", opts.port) ?? 7411;
  if (port > 65535) throw new UsageError(`--port ${port}: expected a port number up to 65535`);
  const windowSeconds = (parseAmount("--window", opts.window) ?? 10) * 60;
  const topJobs = parseCount("--top", opts.top) ?? 10;
  const refreshMs = Math.max(200, (parseAmount("--refresh", opts.refresh) ?? 2) * 1000);
  const wanted = opts.token ?? io.env.FAILCOST_DASHBOARD_TOKEN;
  if (wanted !== undefined && wanted.length < 16) throw new UsageError("--token: use at least 16 characters (or leave it out and one is made for you)");
  const token = wanted ?? (isLocalHost(host) ? undefined : randomBytes(18).toString("base64url"));
  const ledger = await openLedger(target, { create: false, onUpgrade: upgradeNotice(io, opts.db) });
  let server: DashboardServer | undefined;
  try {
    // Each provider's verified webhooks land in the ledger, found by request id (guard/ledger-webhook-handler).
    const mounts = [...extraMounts, ...webhooks.map(({ provider, secret }) => ({ path: `/webhooks/${provider}`, handler: createLedgerWebhookHandler({ provider, secret, ledger }) }))];
    const loading = resolvePolicies(opts.policies, isPostgresTarget(target) ? [] : [target], io.cwd).then((r) => r.policies);
    const known = loading.then((p) => fingerprint(p, windowSeconds, topJobs));
    // Failures are reported by the `await loading` below, whatever runs before it.
    loading.catch(() => undefined);
    known.catch(() => undefined);
    const options = async (): Promise<ViewComputeOptions> => ({ policies: await loading, sdkRetries: SDK_RETRY_RULES, duplicateWindowSeconds: windowSeconds, topJobs, source: `ledger ${display}` });
    const { compute, cancel } = workerCompute(target, options);
    const store = createViewStore({ compute, cancel, changeCount: () => ledger.changeCount(), snapshots: ledgerSnapshots(ledger), fingerprint: known });
    await store.start();
    const started = await startDashboardServer({ store, ledger, host, port, refreshMs, mounts, ...(token !== undefined ? { token } : {}) });
    server = started;
    const link = token === undefined ? started.url : `${started.url}?token=${encodeURIComponent(token)}`;
    listening?.(link);
    await loading;
    return {
      server: started,
      link,
      async close() {
        await started.close();
        await store.idle();
        await ledger.close();
      },
    };
  } catch (e) {
    await server?.close();
    await ledger.close();
    throw e;
  }
}

/** The providers whose webhooks `serve` receives, each with its secret from the environment. */
function webhookSecrets(providers: readonly string[] | undefined, env: Readonly<Record<string, string | undefined>>): { provider: string; secret: string }[] {
  return (providers ?? []).map((provider) => {
    if (providerFormat(provider) === undefined) throw new UsageError(`--webhook ${JSON.stringify(provider)}: failcost cannot read that provider's webhooks (it reads those of a provider with a format, such as replicate)`);
    const name = `FAILCOST_WEBHOOK_SECRET_${provider.toUpperCase().replace(/-/g, "_")}`;
    const secret = env[name];
    // Secrets come from the environment, never the command line (where process lists show them).
    if (!secret) throw new UsageError(`--webhook ${provider}: set ${name} to the provider's webhook signing secret (whsec_…)`);
    return { provider, secret };
  });
}

/** `failcost serve`: the local dashboard over a ledger, until interrupted. */
export async function serve(_args: unknown[], raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const serving = await startServing(raw, io, [], (link) => io.stdout.write(`failcost dashboard: ${link}\n(Ctrl-C stops it)\n`));
  await new Promise<void>((done) => {
    process.once("SIGINT", () => done());
    process.once("SIGTERM", () => done());
  });
  await serving.close();
  return 0;
}
