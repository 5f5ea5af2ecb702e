import { createHash } from "node:crypto";
import { abortReason } from "./clock.js";

/** A request as the guard handles it: its body read once, so it can be hashed and sent again. */
export interface Outgoing {
  readonly url: string;
  readonly method: string;
  /** The headers as given (a Headers object is made only where one is needed). */
  readonly headers: HeadersInit;
  /** The body to send (text or bytes, or form data kept as is). */
  readonly body: string | Uint8Array | FormData | undefined;
  /** The bytes, for hashing a body that is not JSON. */
  readonly bytes: Uint8Array | undefined;
  /** The body parsed as JSON, where it is JSON (form data: its fields, files by digest). */
  readonly json: unknown;
  readonly signal: AbortSignal | undefined;
  /** Other init fields (`redirect`, `keepalive`, …) passed through. */
  readonly rest: RequestInit;
}

/** The URL and method of a fetch call, cheaply, before anything else is read. */
export function urlAndMethod(input: RequestInfo | URL, init?: RequestInit): { url: string; method: string } {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const method = (init?.method ?? (typeof input === "object" && "method" in input ? input.method : "GET")).toUpperCase();
  return { url, method };
}

function parseJsonText(text: string): unknown {
  const c = text.trimStart().charAt(0);
  if (c !== "{" && c !== "[") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseJson(bytes: Uint8Array | undefined): unknown {
  if (!bytes || bytes.length === 0) return undefined;
  const first = bytes[0];
  // Only `{` or `[` (after optional whitespace) can start a JSON body worth reading.
  if (first !== 0x7b && first !== 0x5b && first !== 0x20 && first !== 0x0a && first !== 0x0d && first !== 0x09) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

async function bodyBytes(body: BodyInit | null | undefined): Promise<Uint8Array | FormData | undefined> {
  if (body == null) return undefined;
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof FormData) return body;
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/**
 * Form data as a plain object for hashing and reading fields: text fields as they are, files as
 * their name, type, size and SHA-256 (never their bytes).
 */
export async function formFields(form: FormData): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of form.entries()) {
    out[k] =
      typeof v === "string"
        ? v
        : { name: v.name, type: v.type, size: v.size, sha256: createHash("sha256").update(new Uint8Array(await v.arrayBuffer())).digest("hex") };
  }
  return out;
}

/** Reads a fetch call's request once: URL, method, headers, body (as bytes) and signal. */
export async function readOutgoing(input: RequestInfo | URL, init: RequestInit | undefined, url: string, method: string): Promise<Outgoing> {
  const fromRequest = typeof input === "object" && !(input instanceof URL) ? input : undefined;
  let headers: HeadersInit = init?.headers ?? fromRequest?.headers ?? {};
  if (fromRequest && init?.headers) {
    const merged = new Headers(fromRequest.headers);
    new Headers(init.headers).forEach((v, k) => merged.set(k, v));
    headers = merged;
  }
  const { body: _b, headers: _h, method: _m, signal: _s, ...rest } = init ?? {};
  const signal = init?.signal ?? fromRequest?.signal ?? undefined;
  if (typeof init?.body === "string") {
    // The usual SDK body: JSON text, read without a round trip through bytes.
    const json = parseJsonText(init.body);
    return { url, method, headers, body: init.body, bytes: json === undefined ? new TextEncoder().encode(init.body) : undefined, json, signal, rest };
  }
  let body: Uint8Array | FormData | undefined;
  if (init?.body != null) body = await bodyBytes(init.body);
  else if (fromRequest && fromRequest.body) body = new Uint8Array(await fromRequest.clone().arrayBuffer());
  const bytes = body instanceof Uint8Array ? body : undefined;
  const json = body instanceof FormData ? await formFields(body) : parseJson(bytes);
  return { url, method, headers, body, bytes, json, signal, rest };
}

/** A response whose body has been read, and a fresh copy of it for the caller. */
export interface Buffered {
  readonly status: number;
  readonly ok: boolean;
  /** Response headers by lower-case name. */
  readonly headers: Readonly<Record<string, string>>;
  readonly json: unknown;
  /** A new Response with the same status, headers and body, for the caller to read. */
  readonly response: Response;
}

/**
 * A response whose body the guard has already read: it serves the same bytes from memory, so
 * the caller reads it as usual without a second stream being made (a stream is made only if
 * `body` itself is asked for).
 */
class BufferedResponse extends Response {
  private used = false;

  constructor(
    private readonly buffered: Uint8Array,
    from: Response,
  ) {
    super(null, { status: from.status, statusText: from.statusText, headers: from.headers });
    Object.defineProperty(this, "url", { value: from.url });
  }

  private take(): Uint8Array {
    this.used = true;
    return this.buffered;
  }

  override get bodyUsed(): boolean {
    return this.used;
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    return this.buffered.length === 0 ? null : new Response(this.take() as BodyInit).body;
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.take();
    return Promise.resolve(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  }

  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return Promise.resolve(new Uint8Array(this.take()));
  }

  override text(): Promise<string> {
    return Promise.resolve(new TextDecoder().decode(this.take()));
  }

  override json(): Promise<unknown> {
    return this.text().then((t) => JSON.parse(t) as unknown);
  }

  override blob(): Promise<Blob> {
    return Promise.resolve(new Blob([this.take() as BlobPart], { type: this.headers.get("content-type") ?? "" }));
  }

  override formData(): Promise<FormData> {
    return new Response(this.take() as BodyInit, { headers: this.headers }).formData();
  }

  override clone(): Response {
    return new BufferedResponse(this.buffered, this);
  }
}

/** Reads a response's body whole and returns it with a copy the caller can still read. */
export async function bufferResponse(res: Response): Promise<Buffered> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  return { status: res.status, ok: res.ok, headers, json: parseJson(bytes), response: new BufferedResponse(bytes, res) };
}

/** A JSON response the guard answers itself (a refusal, a job state a webhook already gave). */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** Headers to reach a job again later (auth and API version), without the create's body headers. */
export function followUpHeaders(headers: HeadersInit): Headers {
  const out = new Headers(headers);
  for (const k of ["content-type", "content-length", "prefer", "idempotency-key", "x-stainless-retry-count", "transfer-encoding"]) out.delete(k);
  return out;
}

/** Waits for `p`, or rejects when `signal` aborts first (`p` keeps running). */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

/** True when a fetch error proves the request never reached the server (so no job exists). */
export function neverSent(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && NOT_SENT.has(code)) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}
