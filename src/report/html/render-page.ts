import { createHash } from "node:crypto";
import type { ClientAssets } from "./client-assets.js";
import type { PageData } from "./view.js";

/** A page and the Content-Security-Policy that lets only its own inline script and style run. */
export interface RenderedPage {
  readonly html: string;
  /** The policy to send as a header too (with `frame-ancestors`, which a meta tag cannot carry). */
  readonly csp: string;
}

function sha256(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/** JSON that can sit inside a <script> block: no `<` (so no `</script>`), no line separators. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function assertInlineSafe(text: string, tag: "script" | "style"): void {
  if (new RegExp(`</${tag}|<!--`, "i").test(text)) throw new Error(`the bundled ${tag} contains a sequence that would end it early`);
}

/**
 * The dashboard page or the self-contained report: one HTML document with the script, styles
 * and data inline, nothing fetched from the network. The data is a JSON block that never runs;
 * a strict CSP allows exactly the inline script and style by their hashes.
 */
export function renderPage(data: PageData, assets: ClientAssets): RenderedPage {
  assertInlineSafe(assets.script, "script");
  assertInlineSafe(assets.style, "style");
  const live = data.config.mode === "live";
  const policy = [
    "default-src 'none'",
    `script-src ${sha256(assets.script)}`,
    `style-src ${sha256(assets.style)}`,
    `connect-src ${live ? "'self'" : "'none'"}`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ];
  const meta = policy.join("; ");
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${meta}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>failcost · ${live ? "dashboard" : "waste report"}</title>
<style>${assets.style}</style>
</head>
<body>
<div id="app"><noscript>This report draws its figures with JavaScript; the data is in the failcost-data block of this file.</noscript></div>
<script type="application/json" id="failcost-data">${scriptSafeJson(data)}</script>
<script>${assets.script}</script>
</body>
</html>
`;
  return { html, csp: `${meta}; frame-ancestors 'none'` };
}
