import { wasmApi } from "./wasm-api.js";

/**
 * How the kernels run, fastest first: WebAssembly with relaxed SIMD (one
 * fused multiply-add per step where the hardware has it), WebAssembly with
 * plain SIMD, or the engine's own TypeScript products.
 */
export const ROUTES = ["relaxed", "simd", "js"] as const;
export type Route = (typeof ROUTES)[number];
export type WasmRoute = Exclude<Route, "js">;

/**
 * The smallest module using each route's newest instruction: one function
 * returning v128.const 0 (SIMD), or f32x4.relaxed_madd of three of them.
 * Validating it asks the engine, without compiling the kernels, whether it
 * knows the instruction (Node 20 knows relaxed SIMD only under
 * --experimental-wasm-relaxed-simd).
 */
function probe(body: readonly number[]): Uint8Array {
  const code = [0x00, ...body, 0x0b]; // no locals, body, end
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b], // type section: () -> v128
    ...[0x03, 0x02, 0x01, 0x00], // function section: one function of type 0
    ...[0x0a, code.length + 2, 0x01, code.length, ...code], // code section
  ]);
}

const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const RELAXED_MADD = [0xfd, 0x85, 0x02];

const PROBES: Readonly<Record<WasmRoute, Uint8Array>> = {
  simd: probe(V128_ZERO),
  relaxed: probe([...V128_ZERO, ...V128_ZERO, ...V128_ZERO, ...RELAXED_MADD]),
};

/** Whether this runtime can run `route`. */
export function supports(route: Route): boolean {
  if (route === "js") return true;
  return wasmApi()?.validate(PROBES[route]) ?? false;
}

/** The fastest route no faster than `wanted` that `isSupported` accepts. */
export function chooseRoute(wanted: Route, isSupported: (route: Route) => boolean = supports): Route {
  return ROUTES.slice(ROUTES.indexOf(wanted)).find(isSupported) ?? "js";
}
