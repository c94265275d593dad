import type { ProductWorkerData } from "./product-worker.js";
import type { Block } from "./split.js";
import { DONE, FAILED, JOB, SCRATCH, STOP, computeBlocks, controlBuffer, shareProduct, slotFlags, waitForChange, type Product } from "./thread-control.js";
import type { WasmMemory } from "./wasm-api.js";

/**
 * Worker threads that compute blocks of a product beside the main thread
 * (see product-worker.ts for their side, thread-control.ts for the protocol).
 */
export interface ProductWorkers {
  readonly count: number;
  /** Gives each worker its packing space in the shared memory; before the first product. */
  assignScratch(addresses: readonly number[]): void;
  /**
   * Computes `product` cut into `blocks`: the workers and the calling thread
   * (with `gemm` and `scratch`) claim blocks until none are left; returns
   * when every block is done.
   */
  compute(product: Product, blocks: readonly Block[], gemm: (...args: [...Product, number]) => void, scratch: number): void;
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

/** Polls before sleeping while the main thread waits for a worker finishing its last block. */
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
  const slots = workers.map((_, slot) => slotFlags(control, slot));
  let closed = false;

  /** Waits until worker `slot` has copied its JOB into DONE. */
  const finish = (flags: Int32Array): void => {
    const job = Atomics.load(flags, JOB), before = Atomics.load(flags, DONE);
    if (before !== job) {
      const began = Date.now();
      // At most one block is left to a worker: one that has not answered in a minute is not coming back.
      if (waitForChange(flags, DONE, before, FINISH_SPINS, () => Date.now() - began > 60_000) !== job) {
        throw new Error("a product worker thread stopped answering");
      }
    }
    if (Atomics.load(flags, FAILED) !== 0) throw new Error("a product worker thread failed (its error is on standard error)");
  };

  return {
    count,
    assignScratch(addresses) {
      addresses.forEach((address, i) => Atomics.store(slots[i]!, SCRATCH, address | 0));
    },
    compute(product, blocks, gemm, scratch) {
      if (closed) throw new Error("the kernels' threads were closed");
      shareProduct(control, product, blocks);
      for (const flags of slots) {
        Atomics.store(flags, JOB, (Atomics.load(flags, JOB) + 1) & 0x3fffffff);
        Atomics.notify(flags, JOB);
      }
      computeBlocks(control, gemm, scratch);
      for (const flags of slots) finish(flags);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const flags of slots) {
        Atomics.store(flags, JOB, STOP);
        Atomics.notify(flags, JOB);
      }
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
