import type { AttemptEvent, StoredEvent } from "../core/index.js";
import type { Clock } from "./clock.js";

/** Where the guard's events go: a Ledger, or anything with its `append`. */
export interface EventSink {
  append(events: readonly StoredEvent[]): Promise<unknown>;
}

/** How the recorder batches. */
export interface RecorderOptions {
  /** Most events per append. Default 500. */
  readonly batchSize?: number;
  /** How long an event may wait for its batch, in ms. Default 25. */
  readonly flushMs?: number;
  /** Told when an append fails; the batch is kept and tried again. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Appends events to the sink in batches, in the background, one append at a time. An append
 * that fails keeps its events and is retried with backoff, so nothing recorded is lost;
 * `flush` resolves once everything recorded so far is in the sink.
 */
export class Recorder {
  private queue: StoredEvent[] = [];
  private writing: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private closing = false;
  private appended = 0;
  private readonly batchSize: number;
  private readonly flushMs: number;

  constructor(
    private readonly sink: EventSink,
    private readonly clock: Clock,
    private readonly options: RecorderOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.flushMs = options.flushMs ?? 25;
    // A process that ends without close() still writes what it recorded.
    process.on("beforeExit", this.onExit);
  }

  private readonly onExit = (): void => {
    if (this.queue.length > 0 && this.writing === undefined) this.kick();
  };

  /**
   * Flushes and stops watching for the process's exit. A ledger that fails 8 times in a row is
   * given up on (the events left are reported through `onError`), so closing cannot hang.
   */
  async close(): Promise<void> {
    this.closing = true;
    process.off("beforeExit", this.onExit);
    while (this.queue.length > 0 || this.writing !== undefined) {
      this.kick();
      await this.writing;
      if (this.failures >= 8 && this.queue.length > 0) {
        this.options.onError?.(new Error(`ledger unavailable: ${this.queue.length} events not written`));
        return;
      }
    }
  }

  /** Queues one event at `micros`. */
  record(event: AttemptEvent, micros: number): void {
    this.queue.push({ event, micros });
    if (this.queue.length >= this.batchSize) this.kick();
    else if (this.timer === undefined && this.writing === undefined) {
      this.timer = setTimeout(() => this.kick(), this.flushMs);
      this.timer.unref?.();
    }
  }

  /** Events waiting to be appended. */
  get pending(): number {
    return this.queue.length;
  }

  /** Events the sink has accepted. */
  get written(): number {
    return this.appended;
  }

  private kick(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.writing === undefined && this.queue.length > 0) this.writing = this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, this.batchSize);
        try {
          await this.sink.append(batch);
          this.queue.splice(0, batch.length);
          this.appended += batch.length;
          this.failures = 0;
        } catch (e) {
          this.failures++;
          this.options.onError?.(e);
          // Closing gives up on a ledger that keeps failing, rather than hang the process.
          if (this.closing && this.failures >= 8) return;
          await this.clock.sleep(Math.min(5000, 50 * 2 ** Math.min(this.failures, 7)));
        }
      }
    } finally {
      this.writing = undefined;
    }
  }

  /** Resolves once every event recorded before the call is in the sink. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.writing !== undefined) {
      this.kick();
      await this.writing;
    }
  }
}
