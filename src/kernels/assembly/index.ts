/**
 * The WebAssembly module's exports. Every function takes byte addresses in
 * this module's memory; the TypeScript loader (../index.ts) owns allocation
 * and checks shapes, so nothing here allocates or traps.
 */
export { gemm, scratchBytes, tileColumns, tileRows } from "./gemm";
export { biasActivate, columnSums } from "./epilogue";
export { activationBackward } from "./activation";
export { softmax } from "./softmax";
export { adam, scaleAdd } from "./update";

/** The first address past the module's static data: where the loader's heap starts. */
export function heapBase(): usize {
  return __heap_base;
}
