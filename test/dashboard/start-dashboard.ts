import type { Ledger } from "../../src/core/index.js";
import { parsePolicyText } from "../../src/policies/load-policies.js";
import { computeView } from "../../src/server/compute-view.js";
import { startDashboardServer, type DashboardServer } from "../../src/server/dashboard-server.js";
import { ledgerSnapshots } from "../../src/server/ledger-snapshots.js";
import { createViewStore } from "../../src/server/view-store.js";
import { POLICY } from "./fixture.js";
import { memoryLedger, storedEvents } from "./memory-ledger.js";

/** A dashboard on 127.0.0.1 port 0 over a ledger holding `lines`. */
export async function startTestDashboard(lines: readonly Record<string, unknown>[], options: { host?: string; token?: string } = {}): Promise<{ server: DashboardServer; ledger: Ledger; append(lines: readonly Record<string, unknown>[]): Promise<void>; close(): Promise<void> }> {
  const ledger = memoryLedger(storedEvents(lines));
  const policies = [parsePolicyText(POLICY, "acme.yaml")];
  const store = createViewStore({ compute: (f) => computeView(ledger, { policies, source: "test ledger" }, f), changeCount: () => ledger.changeCount(), snapshots: ledgerSnapshots(ledger), fingerprint: "test" });
  await store.start();
  const server = await startDashboardServer({ store, ledger, port: 0, refreshMs: 300, ...options });
  return {
    server,
    ledger,
    append: async (more) => void (await ledger.append(storedEvents(more))),
    close: () => server.close(),
  };
}
