import type { EventRow } from "./event-row.js";
import type { AttemptRow, LedgerBatch } from "./ledger-batch.js";

/**
 * A batch in a form that crosses to a worker thread cheaply: numbers in typed arrays (moved, not
 * copied), the strings of each column joined into one. Structured cloning thousands of small row
 * objects costs several times more than writing them; one long string is one copy.
 */
export interface PackedBatch {
  readonly micros: Float64Array;
  readonly hash: Float64Array;
  /** Canonical bodies joined by "\n": JSON text holds no raw newline. */
  readonly bodies: string;
  /** Jobs and charge request ids, concatenated; a length of -1 is null. */
  readonly jobs: string;
  readonly jobLength: Int32Array;
  readonly chargeRids: string;
  readonly chargeRidLength: Int32Array;
  /** Few (a handful of events each): cloned as they are. */
  readonly attempts: AttemptRow[];
}

/** The typed arrays of a packed batch, to transfer rather than copy. */
export function packedBuffers(p: PackedBatch): ArrayBuffer[] {
  return [p.micros.buffer, p.hash.buffer, p.jobLength.buffer, p.chargeRidLength.buffer] as ArrayBuffer[];
}

/** Packs a batch (see PackedBatch). */
export function packBatch(batch: LedgerBatch): PackedBatch {
  const rows = batch.rows;
  const n = rows.length;
  const micros = new Float64Array(n);
  const hash = new Float64Array(n);
  const jobLength = new Int32Array(n);
  const chargeRidLength = new Int32Array(n);
  let bodies = "";
  let jobs = "";
  let chargeRids = "";
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    micros[i] = r.micros;
    hash[i] = r.hash;
    bodies += i === 0 ? r.body : `\n${r.body}`;
    if (r.job === null) jobLength[i] = -1;
    else {
      jobLength[i] = r.job.length;
      jobs += r.job;
    }
    if (r.chargeRid === null) chargeRidLength[i] = -1;
    else {
      chargeRidLength[i] = r.chargeRid.length;
      chargeRids += r.chargeRid;
    }
  }
  return { micros, hash, bodies, jobs, jobLength, chargeRids, chargeRidLength, attempts: batch.attempts };
}

/** The strings of one packed column, null where the length is -1. */
function column(text: string, lengths: Int32Array): (string | null)[] {
  const out = new Array<string | null>(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    const n = lengths[i]!;
    if (n < 0) out[i] = null;
    else {
      out[i] = text.slice(at, at + n);
      at += n;
    }
  }
  return out;
}

/** The batch back from its packed form: the same rows, in the same order. */
export function unpackBatch(p: PackedBatch): LedgerBatch {
  const n = p.micros.length;
  const bodies = n === 0 ? [] : p.bodies.split("\n");
  const jobs = column(p.jobs, p.jobLength);
  const chargeRids = column(p.chargeRids, p.chargeRidLength);
  const rows = new Array<EventRow>(n);
  for (let i = 0; i < n; i++) rows[i] = { micros: p.micros[i]!, hash: p.hash[i]!, job: jobs[i]!, chargeRid: chargeRids[i]!, body: bodies[i]! };
  return { rows, attempts: p.attempts };
}
