/**
 * failcost's exceptional errors, in one place. Expected failures (a bad event line) are values;
 * these are for what stops a command: the CLI maps each to an exit code once.
 */

const BRAND = Symbol.for("failcost.error");

/** The base of failcost's errors; `exitCode` is what the CLI exits with. */
export class FailcostError extends Error {
  readonly [BRAND] = true;
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command line was wrong (exit 2). */
export class UsageError extends FailcostError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** A file could not be read or written (exit 2). */
export class FileError extends FailcostError {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message, 2);
  }
}

/** A policy file is invalid (exit 2); the message names the file and every bad key. */
export class PolicyError extends FailcostError {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message, 2);
  }
}

/** `--strict` found problems in the input (exit 1). */
export class StrictError extends FailcostError {
  constructor(message: string) {
    super(message, 1);
  }
}

/** A check the user asked for failed: `reconcile --fail-over` exceeded, or a bill with bad rows (exit 1). */
export class CheckError extends FailcostError {
  constructor(message: string) {
    super(message, 1);
  }
}

/**
 * The guard refused to send a request (exit 1): a budget, the retry policy, a duplicate, or the
 * job's timeout. `reason` says which; the SDK saw a refusal response instead of the provider's.
 */
export class GuardRefusal extends FailcostError {
  constructor(
    message: string,
    readonly reason: "budget" | "retry" | "duplicate" | "timeout",
    readonly job: string,
  ) {
    super(message, 1);
  }
}

/** A budget (per job, day or month) would be overspent by the attempt's worst case. */
export class BudgetExceededError extends GuardRefusal {
  constructor(
    message: string,
    job: string,
    readonly scope: "job" | "day" | "month",
    readonly limit: string,
    readonly used: string,
    readonly asked: string,
  ) {
    super(message, "budget", job);
  }
}

/** The retry policy refused another attempt (cap, failure type, retry budget, Retry-After). */
export class RetryRefusedError extends GuardRefusal {
  constructor(
    message: string,
    job: string,
    readonly why: string,
  ) {
    super(message, "retry", job);
  }
}

/** The same input is already in flight or done in another job within the duplicate window. */
export class DuplicateInputError extends GuardRefusal {
  constructor(
    message: string,
    job: string,
    readonly otherJob: string,
  ) {
    super(message, "duplicate", job);
  }
}

/** A guarded job ran past its timeout; its provider jobs were cancelled where possible. */
export class JobTimeoutError extends GuardRefusal {
  constructor(
    message: string,
    job: string,
    readonly waitedSeconds: number,
  ) {
    super(message, "timeout", job);
  }
}

/** True for any of failcost's own errors. */
export function isFailcostError(e: unknown): e is FailcostError {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

/** True for a usage error. */
export function isUsageError(e: unknown): e is UsageError {
  return isFailcostError(e) && e instanceof UsageError;
}

/** True for a file error. */
export function isFileError(e: unknown): e is FileError {
  return isFailcostError(e) && e instanceof FileError;
}

/** True for a policy error. */
export function isPolicyError(e: unknown): e is PolicyError {
  return isFailcostError(e) && e instanceof PolicyError;
}

/** The message of any thrown value. */
export function messageOf(e: unknown): string {
  // A file system error in a user's words, not Node's ("ENOENT: no such file or directory, open …").
  const { code, syscall } = (e ?? {}) as { code?: unknown; syscall?: unknown };
  if (typeof syscall === "string" && typeof code === "string" && code in FILE_ERRORS) return FILE_ERRORS[code]!;
  return e instanceof Error ? e.message : String(e);
}

const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EISDIR: "it is a folder",
  ENOTDIR: "a part of the path is not a folder",
};

/** A ledger cannot be opened or used: not a ledger, a newer schema, a database that refused (exit 2). */
export class LedgerError extends FailcostError {
  constructor(
    message: string,
    readonly target: string,
  ) {
    super(message, 2);
  }
}

/** True for a ledger error. */
export function isLedgerError(e: unknown): e is LedgerError {
  return isFailcostError(e) && e instanceof LedgerError;
}

/** True when the guard refused a request (any reason). */
export function isGuardRefusal(e: unknown): e is GuardRefusal {
  return isFailcostError(e) && e instanceof GuardRefusal;
}

/** True when a budget refused an attempt. */
export function isBudgetExceededError(e: unknown): e is BudgetExceededError {
  return isFailcostError(e) && e instanceof BudgetExceededError;
}

/** True when the retry policy refused an attempt. */
export function isRetryRefusedError(e: unknown): e is RetryRefusedError {
  return isFailcostError(e) && e instanceof RetryRefusedError;
}

/** True when a duplicate input was refused. */
export function isDuplicateInputError(e: unknown): e is DuplicateInputError {
  return isFailcostError(e) && e instanceof DuplicateInputError;
}

/** True when a guarded job timed out. */
export function isJobTimeoutError(e: unknown): e is JobTimeoutError {
  return isFailcostError(e) && e instanceof JobTimeoutError;
}
