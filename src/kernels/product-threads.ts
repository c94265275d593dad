import { ARGS, ARG_COUNT, DONE, FAILED, JOB, SLOT_INTS, STOP, controlBuffer, waitForChange } from "./thread-control.js";
import type { ProductWorkerData } from "./product-worker.js";
import type { WasmMemory } from "./wasm-api.js";

/**
 * Worker threads that each compute one block of a product while the main
 * thread computes another (see product-worker.ts for their side).
 */
export interface ProductWorkers {
  readonly count: number;
  /** Hands worker `index` the gemm call `args` (assembly/gemm.ts's order) and returns at once. */
  start(index: number, args: readonly number[]): void;
  /** Waits until worker `index` has finished the call it was given. */
  finish(index: number): void;
  /** Stops the threads; the kernels must not be used afterwards. */
  close(): Promise<void>;
}

/** Node's worker_threads, or undefined where there are none (browsers, other runtimes). */
async function workerThreads(): Promise<typeof import("node:worker_threads") | undefined> {
  if (typeof process === "undefined" || typeof process.versions.node !== "string") return undefined;
  return import("node:worker_threads");
}

/** Whether this runtime can run the kernels on more than one thread. */
export async function threadsAvailable(): Promise<boolean> {
  return typeof SharedArrayBuffer === "function" && (await workerThreads()) !== undefined;
}

/** The cores this process may use (os.availableParallelism), or 1 where worker threads are missing. */
export async function availableCores(): Promise<number> {
  if (!(await threadsAvailable())) return 1;
  const { availableParallelism } = await import("node:os");
  return availableParallelism();
}

/** Polls before sleeping while the main thread waits for a worker doing its equal share. */
const FINISH_SPINS = 1_000_000;

/** `count` workers running the shared-memory module `bytes` on `memory`, each ready when this resolves. */
export async function startProductWorkers(bytes: Uint8Array, memory: WasmMemory, count: number): Promise<ProductWorkers> {
  const threads = await workerThreads();
  if (!threads) throw new Error("worker threads are not available in this runtime");
  const control = controlBuffer(count);
  const url = new URL("../../dist/kernels/product-worker.js", import.meta.url);
  const workers = Array.from({ length: count }, (_, slot) => {
    const data: ProductWorkerData = { bytes, memory, control, slot };
    const worker = new threads.Worker(url, { workerData: data });
    // An idle worker sleeping in Atomics.wait must not keep the process alive.
    worker.unref();
    return worker;
  });
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          worker.once("message", () => {
            resolve();
          });
          worker.once("error", reject);
          worker.once("exit", (code) => {
            reject(new Error(`a product worker exited with code ${code} before it was ready`));
          });
        }),
    ),
  );
  const slots = workers.map((_, slot) => ({
    flags: new Int32Array(control, slot * SLOT_INTS * Int32Array.BYTES_PER_ELEMENT, SLOT_INTS),
    args: new Uint32Array(control, (slot * SLOT_INTS + ARGS) * Uint32Array.BYTES_PER_ELEMENT, ARG_COUNT),
  }));
  let closed = false;
  return {
    count,
    start(index, args) {
      if (closed) throw new Error("the kernels' threads were closed");
      const { flags, args: slotArgs } = slots[index]!;
      slotArgs.set(args);
      const job = (Atomics.load(flags, JOB) + 1) & 0x3fffffff;
      Atomics.store(flags, JOB, job);
      Atomics.notify(flags, JOB);
    },
    finish(index) {
      const { flags } = slots[index]!;
      const job = Atomics.load(flags, JOB), before = Atomics.load(flags, DONE);
      if (before !== job) {
        const began = Date.now();
        // The worker does a share equal to the main thread's: one that has not answered in a minute is not coming back.
        if (waitForChange(flags, DONE, before, FINISH_SPINS, () => Date.now() - began > 60_000) !== job) {
          throw new Error("a product worker thread stopped answering");
        }
      }
      if (Atomics.load(flags, FAILED) !== 0) throw new Error("a product worker thread failed (its error is on standard error)");
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const { flags } of slots) {
        Atomics.store(flags, JOB, STOP);
        Atomics.notify(flags, JOB);
      }
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
