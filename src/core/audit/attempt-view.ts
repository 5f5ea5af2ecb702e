import type { AttemptRow } from "./attempt-row.js";

/**
 * What a reader of the audit (a visitor: exports, reconciliation, timelines) sees of one attempt:
 * the row's fields, without the table's internal ids.
 */
export type AttemptView = Omit<AttemptRow, "providerId" | "modelId" | "runUnits">;
