// A worker thread that computes one dashboard view from the ledger, so a long scan and audit
// never stall the server's event loop (better-sqlite3 reads are synchronous).
import { parentPort, workerData } from "node:worker_threads";
import { openLedger } from "../ledger/open-ledger.js";
import type { ViewFilter } from "../report/html/view.js";
import { computeView, type ViewComputeOptions } from "./compute-view.js";

/** What the server sends the worker. */
export interface ViewTask {
  readonly target: string;
  readonly options: ViewComputeOptions;
  readonly filter: ViewFilter;
}

/** What the worker sends back. */
export type ViewMessage = { readonly kind: "progress"; readonly words: string } | { readonly kind: "done"; readonly view: unknown } | { readonly kind: "error"; readonly message: string };

const task = workerData as ViewTask;
const post = (m: ViewMessage): void => parentPort!.postMessage(m);
const ledger = await openLedger(task.target, { create: false });
try {
  post({ kind: "done", view: await computeView(ledger, task.options, task.filter, (words) => post({ kind: "progress", words })) });
} catch (e) {
  post({ kind: "error", message: e instanceof Error ? e.message : String(e) });
} finally {
  await ledger.close();
}
