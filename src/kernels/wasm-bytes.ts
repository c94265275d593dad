import type { WasmRoute } from "./routes.js";

/**
 * Where a route's compiled module lives: the one that owns its memory, or
 * the one importing a shared memory that worker threads also run on. `npm run build:wasm` writes it to
 * dist/kernels/, and this path reaches dist/kernels/ both from
 * src/kernels/ (tests) and from dist/kernels/ (the built package).
 */
export function wasmUrl(route: WasmRoute, sharedMemory: boolean): URL {
  return new URL(`../../dist/kernels/gemm-${route}${sharedMemory ? "-shared" : ""}.wasm`, import.meta.url);
}

/**
 * A module's bytes: read from disk for file: URLs (Node, imported lazily so
 * a browser bundle never needs node:fs), fetched otherwise. A browser build
 * replaces this one function.
 */
export async function loadBytes(url: URL): Promise<Uint8Array> {
  if (url.protocol === "file:") {
    const { readFile } = await import("node:fs/promises");
    return readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
