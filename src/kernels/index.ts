/**
 * Float32 matrix kernels for fast training: WebAssembly SIMD products with
 * register tiling and cache blocking, split between threads when large, and
 * the fused element-wise passes around them, with the engine's TypeScript as
 * the fallback.
 *
 * @example
 * const kernels = await createKernels();
 * const x = kernels.matrix(32, 784), w = kernels.matrix(128, 784), z = kernels.matrix(32, 128);
 * kernels.matmulTransB(x, w, z); // z = x · wᵀ
 * kernels.biasActivate(z, undefined, z, "relu");
 */
import { jsKernels } from "./js-kernels.js";
import type { Kernels } from "./kernels.js";
import { availableCores, startProductWorkers, threadsAvailable, type ProductWorkers } from "./product-threads.js";
import { chooseRoute, type Route, type WasmRoute } from "./routes.js";
import { WASM_PAGE_BYTES, wasmApi } from "./wasm-api.js";
import { loadBytes, wasmUrl } from "./wasm-bytes.js";
import { wasmKernels, type KernelExports } from "./wasm-kernels.js";

export type { KernelMatrix, Kernels } from "./kernels.js";
export { KERNEL_ACTIVATIONS, type KernelActivation } from "./activation-codes.js";
export { ROUTES, chooseRoute, supports, type Route } from "./routes.js";

export interface KernelOptions {
  /** The fastest route wanted (default "relaxed"); slower routes stand in where the runtime lacks it. */
  readonly route?: Route;
  /**
   * Threads for large products (default: 2, or 1 on a one-core machine).
   * Beyond 1 they need shared memory and a thread that may wait: Node's
   * worker_threads, or a browser's Web Worker on a cross-origin isolated page
   * (COOP and COEP headers, which `gradstep serve` sends). Elsewhere, and on a
   * page's own thread, one thread runs.
   */
  readonly threads?: number;
}

/** The most threads a product is split between. */
export const MAX_THREADS = 16;

export function isThreadCount(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_THREADS;
}

async function moduleBytes(route: WasmRoute, shared: boolean): Promise<Uint8Array> {
  const url = wasmUrl(route, shared);
  return loadBytes(url).catch((error: unknown) => {
    throw new Error(`cannot read the ${route} kernels at ${url.href} (run npm run build:wasm)`, { cause: error });
  });
}

/** A shared memory's maximum is reserved up front; 4 GiB is all a 32-bit module can address. */
const SHARED_MAXIMUM_PAGES = 2 ** 32 / WASM_PAGE_BYTES;

/**
 * Kernels that were dropped without close(): their workers hold the shared
 * memory, so stopping them is what lets it be freed.
 */
const dropped = new FinalizationRegistry<ProductWorkers>((workers) => {
  void workers.close();
});

async function threadedKernels(route: WasmRoute, threads: number): Promise<Kernels> {
  const api = wasmApi()!;
  const bytes = await moduleBytes(route, true);
  const memory = new api.Memory({ initial: 1, maximum: SHARED_MAXIMUM_PAGES, shared: true });
  const { instance } = await api.instantiate(bytes, { env: { memory } });
  const workers = await startProductWorkers(bytes, memory, threads - 1);
  const kernels = wasmKernels(instance.exports as KernelExports, route, workers);
  dropped.register(kernels, workers);
  return kernels;
}

async function singleThreadKernels(route: WasmRoute): Promise<Kernels> {
  const { instance } = await wasmApi()!.instantiate(await moduleBytes(route, false));
  return wasmKernels(instance.exports as KernelExports, route);
}

/** Kernels on the fastest supported route no faster than `options.route`; `route` and `threads` say what runs. */
export async function createKernels(options: KernelOptions = {}): Promise<Kernels> {
  const route = chooseRoute(options.route ?? "relaxed");
  const threads = options.threads ?? Math.min(2, await availableCores());
  if (!isThreadCount(threads)) {
    throw new RangeError(`threads must be a whole number from 1 to ${MAX_THREADS}, found ${threads}`);
  }
  if (route === "js") return jsKernels();
  if (threads === 1 || !(await threadsAvailable())) return singleThreadKernels(route);
  // Threads asked for are a promise; the default is only a preference, and one thread still computes the same.
  return options.threads === undefined ? threadedKernels(route, threads).catch(() => singleThreadKernels(route)) : threadedKernels(route, threads);
}
