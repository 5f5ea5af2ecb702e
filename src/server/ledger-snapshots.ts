import type { Ledger } from "../core/index.js";
import type { DashboardView } from "../report/html/view.js";
import type { ViewSnapshots } from "./view-store.js";

/** The snapshot the dashboard keeps its whole view in. */
export const VIEW_SNAPSHOT = "dashboard.view";

/** Snapshots other commands write that the dashboard shows as they are, by the name it shows them under. */
export const EXTRA_SNAPSHOTS = { reconciliation: "reconciliation", forecast: "forecast" } as const;

interface Stored {
  readonly format: 1;
  readonly changeCount: number;
  readonly fingerprint: string;
  readonly view: DashboardView;
}

/** The whole view, stored in the ledger beside the events (a snapshot that is not ours or is unreadable counts as none). */
export function ledgerSnapshots(ledger: Pick<Ledger, "readSnapshot" | "writeSnapshot">): ViewSnapshots {
  return {
    async read() {
      const text = await ledger.readSnapshot(VIEW_SNAPSHOT);
      if (text === undefined) return undefined;
      try {
        const s = JSON.parse(text) as Stored;
        return s.format === 1 && typeof s.changeCount === "number" && s.view?.report !== undefined ? { view: s.view, changeCount: s.changeCount, fingerprint: s.fingerprint } : undefined;
      } catch {
        return undefined;
      }
    },
    async write(view, changeCount, fingerprint) {
      const s: Stored = { format: 1, changeCount, fingerprint, view };
      await ledger.writeSnapshot(VIEW_SNAPSHOT, JSON.stringify(s));
    },
  };
}

/** Longest list shown from a stored result (a bill's every item would swamp the page). */
const MAX_ITEMS = 50;

/** A stored result cut to what a page shows: lists beyond MAX_ITEMS end with a count of the rest. */
function trimForPage(v: unknown, depth = 0): unknown {
  if (v === null || typeof v !== "object") return v;
  if (depth > 5) return JSON.stringify(v).slice(0, 200);
  if (Array.isArray(v)) {
    const head = v.slice(0, MAX_ITEMS).map((x) => trimForPage(x, depth + 1));
    return v.length > MAX_ITEMS ? [...head, `… and ${v.length - MAX_ITEMS} more`] : head;
  }
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, trimForPage(x, depth + 1)]));
}

/** The results other commands stored (reconciliation, forecast), as stored: by name, unparsed. */
export async function readExtraTexts(ledger: Pick<Ledger, "readSnapshot">): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, snapshot] of Object.entries(EXTRA_SNAPSHOTS)) {
    const text = await ledger.readSnapshot(snapshot);
    if (text !== undefined) out[name] = text;
  }
  return out;
}

/** Stored results parsed and cut to a page's worth; text that is not JSON is shown as text. */
export function extrasOf(texts: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(texts)) {
    try {
      out[name] = trimForPage(JSON.parse(text));
    } catch {
      out[name] = text.slice(0, 2000);
    }
  }
  return out;
}
