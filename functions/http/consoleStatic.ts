// The console's built files (console/dist, made by Vite; part of the deployment package), served by the app
// itself — no CDN at run time. Hashed assets are cached for a year; index.html never (it names the hashes).
import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, join, normalize, sep } from "node:path";
import type { HttpResponseInit } from "@azure/functions";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

/** Applied to every console response: only our own scripts, no framing, no referrer (login URLs carry tokens). */
export const CONSOLE_SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

let cachedRoot: string | undefined;

/** console/dist, looked up from this file (functions/http when run from source, dist/functions/http when built). */
export function consoleDistDir(): string | undefined {
  if (cachedRoot && existsSync(join(cachedRoot, "index.html"))) return cachedRoot;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, "console", "dist");
    if (existsSync(join(candidate, "index.html"))) return (cachedRoot = candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/** The file for `path` (relative to console/dist); unknown paths without an extension get index.html (client routes). */
export function consoleFile(path: string): HttpResponseInit {
  const root = consoleDistDir();
  if (!root)
    return { status: 503, headers: { "content-type": "text/plain" }, body: "The console is not built: run `npm run build:console`." };
  const wanted = normalize(join(root, path === "" ? "index.html" : path));
  if (!wanted.startsWith(root + sep)) return { status: 404 };
  const file = existsSync(wanted) ? wanted : extname(wanted) === "" ? join(root, "index.html") : undefined;
  if (!file) return { status: 404, headers: CONSOLE_SECURITY_HEADERS };
  const isIndex = file.endsWith(`${sep}index.html`);
  return {
    status: 200,
    headers: {
      ...CONSOLE_SECURITY_HEADERS,
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": isIndex ? "no-cache" : "public, max-age=31536000, immutable",
    },
    body: readFileSync(file),
  };
}
