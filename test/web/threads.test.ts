import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { serveDirectory, type ServedDirectory } from "../../src/cli/serve.js";
import { launch } from "./harness.js";

/**
 * The kernels' threads in a real Chromium: the built library (dist/, plain
 * ES modules) imported by a Web Worker on a page served with `gradstep
 * serve`'s cross-origin isolation headers, splitting products with a second
 * Web Worker on shared WebAssembly memory.
 */

const TIMEOUT = 120_000;
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
let server: ServedDirectory;
let browser: Browser;

beforeAll(async () => {
  server = await serveDirectory(ROOT, "127.0.0.1", 0);
  browser = await launch();
}, TIMEOUT);

afterAll(async () => {
  await browser.close();
  await server.close();
});

/** What the Web Worker reports (its source is below, as the page runs it). */
interface WorkerReport {
  readonly threadsAvailable: boolean;
  readonly defaultThreads: number;
  readonly route: string;
  readonly threads: number;
  /**
   * Per product, computed on 2 threads in a run where the second Web Worker
   * computed `workerBlocks` of its blocks: entries that differ from the
   * 1-thread result in any bit, and the largest relative error against float64.
   */
  readonly products: Record<string, { readonly mismatches: number; readonly worstError: number; readonly workerBlocks: number }>;
}

/** The Web Worker: the same products on 1 thread and on 2, where the second thread's share is counted. */
const WORKER_SOURCE = (origin: string) => `
import { createKernels } from "${origin}/dist/kernels/index.js";
import { startProductWorkers, threadsAvailable } from "${origin}/dist/kernels/product-threads.js";
import { wasmApi } from "${origin}/dist/kernels/wasm-api.js";
import { loadBytes, wasmUrl } from "${origin}/dist/kernels/wasm-bytes.js";
import { wasmKernels } from "${origin}/dist/kernels/wasm-kernels.js";

let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
const values = (n) => Float32Array.from({ length: n }, random);
const load = (kernels, rows, cols, data) => { const m = kernels.matrix(rows, cols); m.data.set(data); return m; };

const defaults = await createKernels();
const one = await createKernels({ threads: 1 });
const two = await createKernels({ threads: 2 });

// Two threads as createKernels builds them, holding on to the workers to count the blocks the second one computes.
const api = wasmApi();
const bytes = await loadBytes(wasmUrl(one.route, true));
const memory = new api.Memory({ initial: 1, maximum: 65536, shared: true });
const exports = (await api.instantiate(bytes, { env: { memory } })).instance.exports;
const workers = await startProductWorkers(bytes, memory, 1);
const counted = wasmKernels(exports, one.route, workers);

// 192 x 160 outputs, 320 terms each: far past the size at which a product is split.
const M = 192, N = 160, K = 320;
const shapes = {
  matmulTransB: { a: [M, K], b: [N, K], at: (A, B, i, j) => { let s = 0; for (let p = 0; p < K; p++) s += A[i * K + p] * B[j * K + p]; return s; } },
  matmulTransA: { a: [K, M], b: [K, N], at: (A, B, i, j) => { let s = 0; for (let p = 0; p < K; p++) s += A[p * M + i] * B[p * N + j]; return s; } },
  matmul: { a: [M, K], b: [K, N], at: (A, B, i, j) => { let s = 0; for (let p = 0; p < K; p++) s += A[i * K + p] * B[p * N + j]; return s; } },
};
const run = (kernels, name, shape, A, B) => { const out = kernels.matrix(M, N); kernels[name](load(kernels, ...shape.a, A), load(kernels, ...shape.b, B), out); return out.data; };
const products = {};
for (const [name, shape] of Object.entries(shapes)) {
  const A = values(shape.a[0] * shape.a[1]), B = values(shape.b[0] * shape.b[1]);
  const c1 = run(one, name, shape, A, B);
  // Repeated until the second thread took part: the main thread may claim every block of a run while the worker wakes.
  let c2, workerBlocks = 0;
  for (let tries = 0; tries < 200 && workerBlocks === 0; tries++) {
    const before = workers.blocksDone()[0];
    c2 = run(counted, name, shape, A, B);
    workerBlocks = workers.blocksDone()[0] - before;
  }
  let mismatches = 0, worstError = 0;
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    if (c1[i * N + j] !== c2[i * N + j]) mismatches++;
    const exact = shape.at(A, B, i, j);
    worstError = Math.max(worstError, Math.abs(c2[i * N + j] - exact) / Math.max(1, Math.abs(exact)));
  }
  products[name] = { mismatches, worstError, workerBlocks };
}

postMessage({
  threadsAvailable: await threadsAvailable(),
  defaultThreads: defaults.threads,
  route: two.route,
  threads: two.threads,
  products,
});
await Promise.all([defaults, one, two, counted].map((k) => k.close()));
`;

test(
  "in a Web Worker of a cross-origin isolated page, two threads split large products and give the one-thread result bit for bit",
  { timeout: TIMEOUT },
  async () => {
    const page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    const origin = `http://127.0.0.1:${server.port}`;
    await page.goto(`${origin}/test/web/threads.html`);

    // On the page's own thread a browser forbids Atomics.wait, so the kernels stay on one thread there.
    const onPage = await page.evaluate<{ isolated: boolean; threadsAvailable: boolean; threads: number; cores: number }>(`(async () => {
    const { createKernels } = await import("/dist/kernels/index.js");
    const { threadsAvailable } = await import("/dist/kernels/product-threads.js");
    const kernels = await createKernels();
    return { isolated: crossOriginIsolated, threadsAvailable: await threadsAvailable(), threads: kernels.threads, cores: navigator.hardwareConcurrency };
  })()`);
    expect(onPage).toEqual({ isolated: true, threadsAvailable: false, threads: 1, cores: onPage.cores });

    // Served from the page's origin: serve's Content-Security-Policy allows workers from there only, not from blob: URLs.
    mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
    writeFileSync(join(ROOT, "test-artifacts", "threads-worker.js"), WORKER_SOURCE(origin));
    const report = await page.evaluate<WorkerReport>(`new Promise((resolve, reject) => {
    const worker = new Worker("/test-artifacts/threads-worker.js", { type: "module" });
    worker.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => reject(new Error("the test's worker failed: " + event.message));
  })`);
    expect(report.threadsAvailable).toBe(true);
    expect(report.defaultThreads).toBe(Math.min(2, onPage.cores));
    expect(report.threads).toBe(2);
    expect(report.route).toBe("relaxed");
    for (const name of ["matmulTransB", "matmulTransA", "matmul"]) {
      expect(report.products[name]?.mismatches, name).toBe(0);
      expect(report.products[name]?.worstError, name).toBeLessThan(1e-4);
      expect(report.products[name]?.workerBlocks, name).toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
    await page.context().close();
  },
);
