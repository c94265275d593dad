import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { contentType, fileFor } from "../src/cli/serve.js";
import { loadExample } from "../src/problem/examples.js";
import { readProblemFragment } from "../src/problem/link.js";
import { parseProblem } from "../src/problem/parse.js";
import { gradstep } from "./cli.js";
import { serve, type Served } from "./web/harness.js";

/** A raw GET, so that paths like /../ reach the server as written. */
function get(url: string, path: string): Promise<{ status: number; type: string | undefined; body: string; headers: Record<string, unknown> }> {
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const req = request({ hostname, port, path, method: "GET" }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => {
        done({ status: response.statusCode ?? 0, type: response.headers["content-type"], body, headers: response.headers });
      });
    });
    req.on("error", fail);
    req.end();
  });
}

describe("gradstep serve", () => {
  let server: Served;
  beforeAll(async () => {
    server = await serve(["--example", "seed-000-relu-2-2-1"]);
  });
  afterAll(() => {
    server.process.kill();
  });

  test("listens on 127.0.0.1 and prints the page's URL with the exercise in its hash", () => {
    const url = new URL(server.url);
    expect(url.hostname).toBe("127.0.0.1");
    expect(Number(url.port)).toBeGreaterThan(0);
    expect(parseProblem(readProblemFragment(url.hash)!)).toEqual(loadExample("seed-000-relu-2-2-1"));
  });

  test("serves the page with the right content types", async () => {
    const page = await get(server.url, "/");
    expect(page.status).toBe(200);
    expect(page.type).toBe("text/html; charset=utf-8");
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    expect((await get(server.url, `/${script!}`)).type).toBe("text/javascript; charset=utf-8");
    expect(contentType("kernels/gemm-simd.wasm")).toBe("application/wasm");
    expect(contentType("index.css")).toBe("text/css; charset=utf-8");
  });

  test("makes the page cross-origin isolated, so the kernels may share memory between Web Workers", async () => {
    const { headers } = await get(server.url, "/");
    expect(headers["cross-origin-opener-policy"]).toBe("same-origin");
    expect(headers["cross-origin-embedder-policy"]).toBe("require-corp");
  });

  test("never serves a file outside the page's folder", async () => {
    for (const path of ["/../package.json", "/..%2f..%2fpackage.json", "/%2e%2e/%2e%2e/package.json", "/assets/..%5c..%5cpackage.json"]) {
      const response = await get(server.url, path);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.body).not.toContain('"name": "gradstep"');
    }
    expect(fileFor("/srv/web", "/a/../../etc/passwd")).toBe("/srv/web/etc/passwd");
    expect(fileFor("/srv/web", "/..%2f..%2fetc%2fpasswd")).toBeUndefined();
    expect(fileFor("/srv/web", "/%00")).toBeUndefined();
    expect(fileFor("/srv/web", "/")).toBe("/srv/web/index.html");
  });

  test("serves the built-in digits under /data/, for the trainer, and nothing outside dist/data there", async () => {
    const labels = await get(server.url, "/data/digits-labels-idx1-ubyte.gz");
    expect(labels.status).toBe(200);
    expect(labels.headers["cross-origin-embedder-policy"]).toBe("require-corp");
    for (const path of ["/data/../package.json", "/data/..%2f..%2fpackage.json", "/data/%2e%2e/%2e%2e/package.json", "/data/..%2fweb%2findex.html"]) {
      const response = await get(server.url, path);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.body).not.toContain('"name": "gradstep"');
    }
  });

  test("a bad problem file exits with 2 and the parser's message, like every command", () => {
    const dir = mkdtempSync(join(tmpdir(), "gradstep-serve-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, '{ "network": { "inputs": 0 } }');
    const run = gradstep(["serve", file, "--port", "0"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^gradstep: .*bad\.json:1:\d+: network\.inputs: /);
    expect(gradstep(["serve", "--port", "http"]).status).toBe(2);
  });

  test("a port in use is an input error naming it", async () => {
    const port = new URL(server.url).port;
    const child = spawn(process.execPath, [join(import.meta.dirname, "../dist/cli/main.js"), "serve", "--port", port], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on("exit", done));
    expect(code).toBe(2);
    expect(stderr).toContain(`cannot serve on 127.0.0.1:${port}: the port is in use`);
  });

  test("--help shows an example", () => {
    const run = gradstep(["serve", "--help"]);
    expect(run.stdout).toContain("$ gradstep serve --example");
  });
});
