import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname, networkInterfaces } from "node:os";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { InputError } from "../input-error.js";
import { DIGITS_DIR } from "../train/data/builtin.js";
import { problemFragment } from "../problem/link.js";
import { problemFile } from "../problem/to-file.js";
import { CROSS_ORIGIN_ISOLATION } from "./isolation.js";
import { pickProblem } from "./solve.js";
import { helpAfter } from "./help-text.js";
import { langOption, translatorFor } from "./lang.js";

/** The built page: dist/web beside dist/cli (written by `npm run build:web`). */
export const WEB_ROOT = fileURLToPath(new URL("../web/", import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
};

export function contentType(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
}

/** The file a request names inside `root`, or undefined when the path is malformed or would leave `root`. */
export function fileFor(root: string, requestUrl: string): string | undefined {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl, "http://localhost").pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes("\0")) return undefined;
  const base = resolve(root);
  const file = resolve(base, `.${pathname}`);
  if (file !== base && !file.startsWith(base + sep)) return undefined;
  return pathname.endsWith("/") ? join(file, "index.html") : file;
}

/**
 * What every answer carries: the page loads scripts, styles, fonts, WebAssembly
 * and workers from its own origin only, runs no inline script, may not be
 * framed (clickjacking), and its types are not sniffed.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    // KaTeX and the page set style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    // KaTeX's fonts are inlined in the style sheet as data: URLs.
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; "),
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

function send(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(body), ...SECURITY_HEADERS });
  response.end(body);
}

const LOOPBACK = ["localhost", "127.0.0.1", "::1"];

function isWildcard(host: string): boolean {
  return host === "" || host === "0.0.0.0" || host === "::" || host === "[::]";
}

/** Whether `host` reaches beyond this machine: anything but a loopback address or name. */
export function beyondLoopback(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, "").toLowerCase();
  return !(LOOPBACK.includes(name) || /^127\./.test(name));
}

/** The name of a Host header without its port or IPv6 brackets, lower case. */
function hostName(header: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(header);
  return (bracketed ? bracketed[1]! : header.replace(/:\d*$/, "")).toLowerCase();
}

/**
 * The Host headers a server listening on `listen` answers: the address it
 * listens on and the loopback names, or for a wildcard address this machine's
 * own addresses and host name. Any other name is refused, so that a web page
 * elsewhere cannot reach the server through a name it made resolve to this
 * machine (DNS rebinding).
 */
export function hostAllowed(listen: string): (header: string | undefined) => boolean {
  const names = new Set([...LOOPBACK, hostName(listen.includes(":") && !listen.startsWith("[") ? `[${listen}]` : listen)]);
  if (isWildcard(listen)) {
    names.add(hostname().toLowerCase());
    for (const addresses of Object.values(networkInterfaces())) for (const address of addresses ?? []) names.add(address.address.toLowerCase());
  }
  return (header) => header !== undefined && names.has(hostName(header));
}

/** Folders served under a path of their own, beside the root's files: `{ "/data/": dir }`. */
export type Mounts = Readonly<Record<string, string>>;

/** The built-in digits (dist/data), which the page's trainer fetches from data/ beside it. */
export const PAGE_MOUNTS: Mounts = { "/data/": fileURLToPath(DIGITS_DIR) };

/** The file a request names: in the folder mounted at its path's start, or in `root`. */
function fileOf(root: string, mounts: Mounts, requestUrl: string): string | undefined {
  const mount = Object.entries(mounts).find(([prefix]) => requestUrl.startsWith(prefix));
  return mount ? fileFor(mount[1], requestUrl.slice(mount[0].length - 1)) : fileFor(root, requestUrl);
}

async function handle(
  root: string,
  mounts: Mounts,
  request: IncomingMessage,
  response: ServerResponse,
  allowed: (header: string | undefined) => boolean,
): Promise<void> {
  if (!allowed(request.headers.host)) {
    send(response, 421, "this server answers only requests addressed to it (its address or localhost)\n");
    return;
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.setHeader("Allow", "GET, HEAD");
    send(response, 405, "method not allowed\n");
    return;
  }
  let file = fileOf(root, mounts, request.url ?? "/");
  if (file === undefined) {
    send(response, 403, "forbidden\n");
    return;
  }
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    const body = await readFile(file);
    response.writeHead(200, {
      "Content-Type": contentType(file),
      "Content-Length": body.length,
      ...SECURITY_HEADERS,
      ...CROSS_ORIGIN_ISOLATION,
      // Hashed assets never change; the page itself may after a rebuild.
      "Cache-Control": file.includes(`${sep}assets${sep}`) ? "public, max-age=31536000, immutable" : "no-cache",
    });
    response.end(request.method === "HEAD" ? undefined : body);
  } catch {
    send(response, 404, "not found\n");
  }
}

function readPort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw InputError.said((t) => t.text("command.serve.port", { found: JSON.stringify(text) }));
  return port;
}

/** A server started by serveDirectory. */
export interface ServedDirectory {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves the files under `root`, and those of each mounted folder under its path; resolves once it listens. */
export function serveDirectory(root: string, host: string, port: number, mounts: Mounts = {}): Promise<ServedDirectory> {
  const allowed = hostAllowed(host);
  const server = createServer((request, response) => void handle(root, mounts, request, response, allowed));
  return new Promise((done, fail) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      fail(
        InputError.said((t) =>
          t.text("command.serve.cannotServe", {
            address: `${host}:${port}`,
            reason:
              error.code === "EADDRINUSE"
                ? t.text("command.serve.portInUse")
                : error.code === "EADDRNOTAVAIL"
                  ? t.text("command.serve.noAddress")
                  : (error.code ?? error.message),
          }),
        ),
      );
    });
    server.listen(port, host, () => {
      done({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise((closed) =>
            server.close(() => {
              closed();
            }),
          ),
      });
    });
  });
}

interface ServeFlags {
  example?: string;
  port: string;
  host: string;
  lang?: string;
}

export const serveCommand = new Command("serve")
  .description("serve the interactive page: step through an exercise, edit it, check your work, train a small network")
  .argument("[FILE]", "open this problem file (JSON or YAML) in the page")
  .option("-e, --example <NAME>", "open a built-in exercise in the page")
  .option("-p, --port <PORT>", "port to listen on (0: any free port)", "5173")
  .option("--host <HOST>", "address to listen on (the default is this machine only)", "127.0.0.1")
  .addOption(langOption())
  .addHelpText(
    "after",
    helpAfter("help.serve.after", [
      "gradstep serve",
      "gradstep serve --example seed-004-sigmoid-3-2-2-shared-bias",
      "gradstep serve exercise.yaml --port 8080",
    ]),
  )
  .action(async (file: string | undefined, flags: ServeFlags) => {
    const t = await translatorFor(flags.lang);
    const port = readPort(flags.port);
    // Validated here, like every other command's input, so that a bad file fails now with exit code 2.
    const problem = file === undefined && flags.example === undefined ? undefined : pickProblem(file, flags.example);
    if (!existsSync(join(WEB_ROOT, "index.html"))) {
      process.stderr.write(`gradstep: ${t.text("command.serve.notBuilt", { file: join(WEB_ROOT, "index.html") })}\n`);
      process.exit(1);
    }
    const { port: bound } = await serveDirectory(WEB_ROOT, flags.host, port, PAGE_MOUNTS);
    if (beyondLoopback(flags.host) || isWildcard(flags.host)) {
      process.stderr.write(`gradstep: ${t.text("command.serve.warning", { host: flags.host })}\n`);
    }
    const host = flags.host.includes(":") ? `[${flags.host}]` : flags.host;
    const url = `http://${host}:${bound}/${problem ? `#${problemFragment(problemFile(problem))}` : ""}`;
    process.stdout.write(`gradstep: ${t.text("command.serve.serving", { address: `${host}:${bound}` })}\n${url}\n`);
  });
