// Starts a TypeScript worker when failcost runs from its source (tests run through tsx): worker
// threads on Node 20 do not inherit tsx's loader, so the worker registers it before importing.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
