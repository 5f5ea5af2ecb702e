import { filterQuery, isWholeView } from "../report/html/filter.js";
import type { DashboardView, ViewFilter } from "../report/html/view.js";

/** Computes the view of a filter from the ledger as it is now; reports progress in words. */
export type ComputeView = (filter: ViewFilter, progress: (words: string) => void) => Promise<DashboardView>;

/** Where the whole (unfiltered) view is kept between runs, so the first screen never waits. */
export interface ViewSnapshots {
  read(): Promise<{ view: DashboardView; changeCount: number; fingerprint: string } | undefined>;
  write(view: DashboardView, changeCount: number, fingerprint: string): Promise<void>;
}

/** What the store can say about one filter right now. */
export interface ViewState {
  /** The latest figures (possibly older than the ledger; see `current`). */
  readonly view: DashboardView | undefined;
  /** Identifies `view`. */
  readonly stamp: string | undefined;
  /** True when `view` reflects the ledger as last seen. */
  readonly current: boolean;
  readonly progress: string | undefined;
  readonly error: string | undefined;
}

/** Options of a view store. */
export interface ViewStoreOptions {
  readonly compute: ComputeView;
  readonly changeCount: () => Promise<number>;
  readonly snapshots?: ViewSnapshots;
  /**
   * Identifies what the figures depend on besides events (policies, options): a new one
   * recomputes. May come later (policies still being read): the stored view is served meanwhile,
   * and nothing is computed until it is known.
   */
  readonly fingerprint: string | Promise<string>;
  /** Filtered views kept (default 8); the whole view is always kept. */
  readonly maxFiltered?: number;
  /** A filtered view nobody asked for in this long is not recomputed (ms, default 60 s). */
  readonly idleMs?: number;
  /** The clock, for idleness. */
  readonly now?: () => number;
  /** Abandons a computation in progress (called by `stop`). */
  readonly cancel?: () => void;
}

interface Entry {
  readonly key: string;
  readonly filter: ViewFilter;
  view: DashboardView | undefined;
  /** The ledger's change count the view was computed at, or -1 when its fingerprint is old. */
  changeCount: number;
  askedAt: number;
  progress: string | undefined;
  error: string | undefined;
}

/** Keeps each filter's view and recomputes, one at a time, those the ledger has moved past. */
export interface ViewStore {
  /** Loads the stored whole view, if any, and reads the ledger's change count. */
  start(): Promise<void>;
  /** The state of a filter's view; asking schedules its computation when it is missing or stale. */
  ask(filter: ViewFilter): ViewState;
  /** Checks the ledger's change count and recomputes what changed. Call it every few seconds. */
  refresh(): Promise<void>;
  /** Resolves when nothing is being computed. */
  idle(): Promise<void>;
  /** Stops computing, abandoning a computation in progress where the compute function can. */
  stop(): void;
}

function stampOf(e: Entry): string | undefined {
  return e.view === undefined ? undefined : `${e.changeCount}@${e.view.generated_at}`;
}

/**
 * The dashboard's figures: the whole view is served from its snapshot at once, then kept
 * current; filtered views are computed on demand. Computations run one at a time (the whole
 * view first, then the filters most recently asked for), off the request path.
 */
export function createViewStore(options: ViewStoreOptions): ViewStore {
  const now = options.now ?? Date.now;
  const maxFiltered = options.maxFiltered ?? 8;
  const idleMs = options.idleMs ?? 60_000;
  const entries = new Map<string, Entry>();
  const whole: Entry = { key: "", filter: {}, view: undefined, changeCount: -1, askedAt: now(), progress: undefined, error: undefined };
  entries.set("", whole);
  let ledgerChange = 0;
  let running: Promise<void> | undefined;
  let stopped = false;
  let fingerprint: string | undefined;

  const stale = (e: Entry): boolean => e.changeCount !== ledgerChange;
  const wanted = (e: Entry): boolean => e === whole || now() - e.askedAt < idleMs;

  const next = (): Entry | undefined =>
    [...entries.values()]
      .filter((e) => stale(e) && wanted(e) && e.error === undefined)
      .sort((a, b) => (a === whole ? -1 : b === whole ? 1 : b.askedAt - a.askedAt))[0];

  const computeOne = async (e: Entry): Promise<void> => {
    const at = ledgerChange;
    e.progress = "starting";
    try {
      const view = await options.compute(e.filter, (words) => (e.progress = words));
      e.view = view;
      e.changeCount = at;
      e.error = undefined;
      if (e === whole) await options.snapshots?.write(view, at, fingerprint!);
    } catch (err) {
      e.error = err instanceof Error ? err.message : String(err);
    } finally {
      e.progress = undefined;
    }
  };

  const kick = (): void => {
    if (running || stopped || fingerprint === undefined) return;
    const e = next();
    if (!e) return;
    running = computeOne(e).finally(() => {
      running = undefined;
      kick();
    });
  };

  const evict = (): void => {
    const filtered = [...entries.values()].filter((e) => e !== whole).sort((a, b) => b.askedAt - a.askedAt);
    for (const e of filtered.slice(maxFiltered)) if (e.progress === undefined) entries.delete(e.key);
  };

  return {
    async start() {
      ledgerChange = await options.changeCount();
      const snap = await options.snapshots?.read();
      if (snap) {
        whole.view = snap.view;
        whole.changeCount = snap.changeCount;
      }
      // A failure to know it (bad policies) is the caller's to report; nothing is computed then.
      void Promise.resolve(options.fingerprint).then(
        (fp) => {
          fingerprint = fp;
          if (snap && snap.fingerprint !== fp) whole.changeCount = -1;
          kick();
        },
        () => undefined,
      );
    },
    ask(filter) {
      const key = isWholeView(filter) ? "" : filterQuery(filter);
      let e = entries.get(key);
      if (!e) {
        e = { key, filter, view: undefined, changeCount: -1, askedAt: now(), progress: undefined, error: undefined };
        entries.set(key, e);
        evict();
      }
      e.askedAt = now();
      kick();
      return { view: e.view, stamp: stampOf(e), current: !stale(e), progress: e.progress ?? (stale(e) ? "waiting" : undefined), error: e.error };
    },
    async refresh() {
      const count = await options.changeCount();
      if (count !== ledgerChange) {
        ledgerChange = count;
        for (const e of entries.values()) e.error = undefined;
      }
      kick();
    },
    async idle() {
      while (running) await running;
    },
    stop() {
      stopped = true;
      options.cancel?.();
    },
  };
}
