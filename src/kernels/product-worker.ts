/**
 * A worker thread that computes blocks of products for the main thread: it
 * instantiates the shared-memory kernels on the main thread's memory, then
 * loops on its control slot (thread-control.ts) until told to stop.
 */
import { parentPort, workerData } from "node:worker_threads";
import { ARGS, ARG_COUNT, DONE, FAILED, JOB, SLOT_INTS, STOP, waitForChange } from "./thread-control.js";
import type { KernelExports } from "./wasm-kernels.js";
import { wasmApi, type WasmMemory } from "./wasm-api.js";

export interface ProductWorkerData {
  readonly bytes: Uint8Array;
  readonly memory: WasmMemory;
  readonly control: SharedArrayBuffer;
  readonly slot: number;
}

/** Polls before sleeping: long enough to span the element-wise work between two products of a step. */
const IDLE_SPINS = 200_000;

async function serve({ bytes, memory, control, slot }: ProductWorkerData): Promise<void> {
  const { instance } = await wasmApi()!.instantiate(bytes, { env: { memory } });
  const kernels = instance.exports as KernelExports;
  const flags = new Int32Array(control, slot * SLOT_INTS * Int32Array.BYTES_PER_ELEMENT, SLOT_INTS);
  const args = new Uint32Array(control, (slot * SLOT_INTS + ARGS) * Uint32Array.BYTES_PER_ELEMENT, ARG_COUNT);
  parentPort!.postMessage({ ready: true });
  let seen = Atomics.load(flags, JOB);
  for (;;) {
    seen = waitForChange(flags, JOB, seen, IDLE_SPINS);
    if (seen === STOP) return;
    try {
      kernels.gemm(args[0]!, args[1]!, args[2]!, args[3]!, args[4]!, args[5]!, args[6]!, args[7]!, args[8]!, args[9]!, args[10]!, args[11]!);
    } catch (error) {
      // The main thread is blocked waiting for DONE: the flag is what it sees.
      Atomics.store(flags, FAILED, 1);
      console.error(error);
    }
    Atomics.store(flags, DONE, seen);
    Atomics.notify(flags, DONE);
  }
}

await serve(workerData as ProductWorkerData);
