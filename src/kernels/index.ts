/**
 * Float32 matrix kernels for fast training: WebAssembly SIMD products with
 * register tiling and cache blocking, and the fused element-wise passes
 * around them, with the engine's TypeScript as the fallback.
 *
 * @example
 * const kernels = await createKernels();
 * const x = kernels.matrix(32, 784), w = kernels.matrix(128, 784), z = kernels.matrix(32, 128);
 * kernels.matmulTransB(x, w, z); // z = x · wᵀ
 * kernels.biasActivate(z, undefined, z, "relu");
 */
import { jsKernels } from "./js-kernels.js";
import type { Kernels } from "./kernels.js";
import { chooseRoute, type Route, type WasmRoute } from "./routes.js";
import { wasmApi } from "./wasm-api.js";
import { loadBytes, wasmUrl } from "./wasm-bytes.js";
import { wasmKernels, type KernelExports } from "./wasm-kernels.js";

export type { KernelMatrix, Kernels } from "./kernels.js";
export { KERNEL_ACTIVATIONS, type KernelActivation } from "./activation-codes.js";
export { ROUTES, chooseRoute, supports, type Route } from "./routes.js";

export interface KernelOptions {
  /** The fastest route wanted (default "relaxed"); slower routes stand in where the runtime lacks it. */
  readonly route?: Route;
}

async function instantiate(route: WasmRoute): Promise<KernelExports> {
  const url = wasmUrl(route);
  const bytes = await loadBytes(url).catch((error: unknown) => {
    throw new Error(`cannot read the ${route} kernels at ${url.href} (run npm run build:wasm)`, { cause: error });
  });
  const { instance } = await wasmApi()!.instantiate(bytes);
  return instance.exports as KernelExports;
}

/** Kernels on the fastest supported route no faster than `options.route`; `route` says which. */
export async function createKernels(options: KernelOptions = {}): Promise<Kernels> {
  const route = chooseRoute(options.route ?? "relaxed");
  return route === "js" ? jsKernels() : wasmKernels(await instantiate(route), route);
}
