import { setFlagsFromString } from "node:v8";

/**
 * Node 20 runs relaxed-SIMD WebAssembly (f32x4.relaxed_madd) only under this
 * V8 flag; setting it before any module is compiled lets the kernels use it.
 * Newer runtimes have it on already.
 */
export function enableRelaxedSimd(): void {
  setFlagsFromString("--experimental-wasm-relaxed-simd");
}
