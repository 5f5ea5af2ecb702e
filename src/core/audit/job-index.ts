import { StringColumn, type StringColumnState } from "./string-column.js";

function hashString(s: string): number {
  let h = 2166136261;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 16777619);
  return h >>> 0;
}

/**
 * Job names and their numbers: an open-addressed table of numbers over names kept as bytes, a
 * third of the memory a Map of strings takes for a million jobs.
 */
export class JobIndex {
  readonly names = new StringColumn();
  private slots = new Int32Array(1 << 12).fill(-1);
  private hashes = new Int32Array(1 << 12);
  count = 0;

  /** The number of job `name`, or -1. */
  get(name: string): number {
    const h = hashString(name) | 0;
    const mask = this.slots.length - 1;
    for (let k = h & mask; ; k = (k + 1) & mask) {
      const j = this.slots[k]!;
      if (j === -1) return -1;
      if (this.hashes[k] === h && this.names.equals(j, name)) return j;
    }
  }

  /** Adds job `name` (not yet present) and returns its number. */
  add(name: string): number {
    const j = this.count++;
    this.names.reserve(Math.max(1024, this.count));
    this.names.set(j, name);
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    this.place(j, hashString(name) | 0);
    return j;
  }

  private place(j: number, h: number): void {
    const mask = this.slots.length - 1;
    let k = h & mask;
    while (this.slots[k] !== -1) k = (k + 1) & mask;
    this.slots[k] = j;
    this.hashes[k] = h;
  }

  private rehash(size: number): void {
    const old = this.slots;
    const oldHashes = this.hashes;
    this.slots = new Int32Array(size).fill(-1);
    this.hashes = new Int32Array(size);
    for (let k = 0; k < old.length; k++) if (old[k] !== -1) this.place(old[k]!, oldHashes[k]!);
  }

  /** The name of job `j`. */
  name(j: number): string {
    return this.names.get(j)!;
  }

  /** The names, to send to another thread. */
  state(): { state: StringColumnState; transfer: ArrayBuffer[] } {
    return this.names.state(this.count);
  }

  /** An index rebuilt from another thread's names. */
  static fromState(s: StringColumnState, count: number): JobIndex {
    const index = new JobIndex();
    const names = StringColumn.fromState(s, false);
    for (let j = 0; j < count; j++) index.add(names.get(j)!);
    return index;
  }
}
