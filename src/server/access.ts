import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** The cookie a browser keeps the dashboard token in after opening the `?token=` link. */
export const TOKEN_COOKIE = "failcost_token";

/** True for an address only this machine can reach. */
export function isLocalHost(host: string): boolean {
  return host === "127.0.0.1" || host === "::1" || host === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** What to do with a request before routing it. */
export type AccessDecision = { readonly kind: "allow" } | { readonly kind: "deny"; readonly status: number; readonly message: string } | { readonly kind: "login"; readonly location: string; readonly cookie: string };

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === TOKEN_COOKIE) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

/**
 * Who may use the dashboard. Bound to this machine, only requests naming a local host are
 * served (so a web page elsewhere cannot reach it by DNS rebinding). With a token (required
 * for any other bind), each request must carry it: as `Authorization: Bearer …`, as the cookie
 * the `?token=` link sets, or on that link itself.
 */
export function decideAccess(req: IncomingMessage, url: URL, local: boolean, token: string | undefined): AccessDecision {
  if (local) {
    const host = (req.headers.host ?? "").replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
    if (!isLocalHost(host)) return { kind: "deny", status: 403, message: "this dashboard answers only to 127.0.0.1 or localhost" };
  }
  if (token === undefined) return { kind: "allow" };
  const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  if ((auth !== undefined && sameSecret(auth, token)) || sameSecret(cookieToken(req) ?? "", token)) return { kind: "allow" };
  const given = url.searchParams.get("token");
  if (given !== null && sameSecret(given, token) && url.pathname === "/") {
    const clean = new URL(url);
    clean.searchParams.delete("token");
    return { kind: "login", location: `${clean.pathname}${clean.search}`, cookie: `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/` };
  }
  return { kind: "deny", status: 401, message: "this dashboard needs its token: open the link failcost serve printed" };
}
