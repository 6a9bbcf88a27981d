import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

interface WebFile {
  body: Buffer;
  gzipped: Buffer | null;
  type: string;
  cacheControl: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

// Vite's output: hashed names under /assets/ never change content, so browsers keep them a year;
// index.html names the current hashes, so it is revalidated on every visit.
const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "no-cache";
// The app loads only its own scripts and styles and talks only to this origin (HTTP and WebSocket).
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/** Every file of the built app, read once at start: nothing outside this list can be served. */
function loadFiles(root: string): Map<string, WebFile> {
  const files = new Map<string, WebFile>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        walk(full);
        continue;
      }
      const urlPath = `/${path.relative(root, full).split(path.sep).join("/")}`;
      const ext = path.extname(name);
      const body = readFileSync(full);
      const compressible = [".html", ".js", ".css", ".svg", ".json", ".txt"].includes(ext);
      files.set(urlPath, {
        body,
        gzipped: compressible && body.length > 1024 ? gzipSync(body) : null,
        type: TYPES[ext] ?? "application/octet-stream",
        cacheControl: urlPath.startsWith("/assets/") ? IMMUTABLE : REVALIDATE,
      });
    }
  };
  walk(root);
  return files;
}

/** Whether `root` holds a built web app (its index.html). */
export function hasWebApp(root: string): boolean {
  try {
    return statSync(path.join(root, "index.html")).isFile();
  } catch {
    return false;
  }
}

/**
 * Serves the built web app (apps/web/dist) from the API's origin, so the browser's calls are
 * same-origin. Any other GET that is not an asset is the app's own route: index.html answers it
 * and the client-side router shows the page (or its 404 page).
 */
export function serveWebApp(app: FastifyInstance, root: string): void {
  const files = loadFiles(root);
  const index = files.get("/index.html");
  if (!index) throw new Error(`no web app in ${root}: build it with pnpm --filter @deltacrown/web build`);

  const send = (req: FastifyRequest, reply: FastifyReply, file: WebFile) => {
    reply.header("content-type", file.type);
    reply.header("cache-control", file.cacheControl);
    reply.header("x-content-type-options", "nosniff");
    if (file === index) {
      reply.header("content-security-policy", CSP);
      reply.header("referrer-policy", "same-origin");
    }
    reply.header("vary", "accept-encoding");
    if (file.gzipped && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""))) {
      reply.header("content-encoding", "gzip");
      return reply.send(file.gzipped);
    }
    return reply.send(file.body);
  };

  app.get("/*", (req, reply) => {
    const pathname = req.url.split("?")[0] ?? "/";
    const file = files.get(pathname);
    if (file) return send(req, reply, file);
    // A missing hashed asset is a real 404 (an old page asking for a file a new build replaced).
    if (pathname.startsWith("/assets/") || path.extname(pathname) !== "")
      return reply.code(404).type("text/plain; charset=utf-8").send("not found\n");
    return send(req, reply, index);
  });
}
