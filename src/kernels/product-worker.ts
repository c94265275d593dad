/**
 * A worker thread that computes blocks of products, and spans of parameter
 * updates, for the main thread: it
 * instantiates the shared-memory kernels on the main thread's memory, then
 * waits on its slot of the control block (thread-control.ts) for products
 * to share, until told to stop. It runs as a Node worker_thread (its data in
 * workerData) or as a browser's Web Worker (its data in the first message).
 */
import { onNode } from "./runtime.js";
import { BLOCKS, ControlBlock, DONE, FAILED, JOB, SCRATCH, SpinBudget, STOP, waitForChange } from "./thread-control.js";
import type { KernelExports } from "./wasm-kernels.js";
import { wasmApi, type WasmMemory } from "./wasm-api.js";

export interface ProductWorkerData {
  readonly bytes: Uint8Array;
  readonly memory: WasmMemory;
  readonly control: SharedArrayBuffer;
  readonly slot: number;
}

/** Polls, at most, before sleeping: long enough to span the element-wise work between two products of a step. */
const IDLE_SPINS = 200_000;

async function serve({ bytes, memory, control, slot }: ProductWorkerData, sayReady: () => void): Promise<void> {
  const { instance } = await wasmApi()!.instantiate(bytes, { env: { memory } });
  const kernels = instance.exports as KernelExports;
  const block = new ControlBlock(control),
    flags = block.slot(slot);
  // Read before saying ready: once it is said, the main thread may hand out the first product.
  let seen = Atomics.load(flags, JOB);
  const idle = new SpinBudget(IDLE_SPINS);
  sayReady();
  for (;;) {
    seen = waitForChange(flags, JOB, seen, idle);
    if (seen === STOP) return;
    try {
      Atomics.add(flags, BLOCKS, block.computeBlocks(kernels, Atomics.load(flags, SCRATCH) >>> 0));
    } catch (error) {
      // The main thread is blocked waiting for DONE: the flag is what it sees.
      Atomics.store(flags, FAILED, 1);
      console.error(error);
    }
    Atomics.store(flags, DONE, seen);
    Atomics.notify(flags, DONE);
  }
}

/** A Web Worker's own scope, as far as it is used here (the project's libraries declare no DOM). */
interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: "message" | "messageerror", listener: (event: { data: unknown }) => void, options: { once: true }): void;
}

if (onNode()) {
  const threads = await import("node:worker_threads");
  await serve(threads.workerData as ProductWorkerData, () => {
    threads.parentPort!.postMessage({ ready: true });
  });
} else {
  const scope = globalThis as unknown as WorkerScope;
  const data = await new Promise<ProductWorkerData>((resolve, reject) => {
    scope.addEventListener(
      "message",
      (event) => {
        resolve(event.data as ProductWorkerData);
      },
      { once: true },
    );
    // Shared memory that cannot cross into this worker arrives as this event; thrown, it becomes the error event the main thread is listening for.
    scope.addEventListener(
      "messageerror",
      () => {
        reject(new Error("the product worker could not receive its shared memory"));
      },
      { once: true },
    );
  });
  await serve(data, () => {
    scope.postMessage({ ready: true });
  });
}
