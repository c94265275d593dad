/**
 * The few pieces of the WebAssembly JavaScript API the kernels use, typed
 * here because the project's libraries (ES2023 and Node) do not declare it,
 * and read from globalThis so that a runtime without WebAssembly is a
 * fallback to the JavaScript route rather than a ReferenceError.
 */

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  /** Adds `pages` pages of 64 KiB; throws a RangeError past the engine's limit. */
  grow(pages: number): number;
}

export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  instantiate(bytes: Uint8Array, imports?: object): Promise<{ instance: { exports: unknown } }>;
  /** Memory for a module that imports it; `shared` memory (with a maximum) can be handed to worker threads. */
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

export const WASM_PAGE_BYTES = 65536;

export function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}
