import type { ProductWorkerData } from "./product-worker.js";
import type { Cut } from "./split.js";
import { BLOCKS, ControlBlock, DONE, FAILED, JOB, SCRATCH, STOP, waitForChange, type Gemm, type Product } from "./thread-control.js";
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
   * Computes `product` cut as `cut`: the workers and the calling thread
   * (with `gemm` and `scratch`) claim blocks until none are left; returns
   * when every block is done.
   */
  compute(product: Product, cut: Cut, gemm: Gemm, scratch: number): void;
  /** How many blocks each worker has computed so far. */
  blocksDone(): number[];
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
  const control = new ControlBlock(count);
  const url = new URL("../../dist/kernels/product-worker.js", import.meta.url);
  const workers = Array.from({ length: count }, (_, slot) => {
    const data: ProductWorkerData = { bytes, memory, control: control.buffer, slot };
    const worker = new threads.Worker(url, { workerData: data });
    // An idle worker sleeping in Atomics.wait must not keep the process alive.
    worker.unref();
    return worker;
  });
  try {
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
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw error;
  }
  const slots = workers.map((_, slot) => control.slot(slot));
  /** Why the threads can no longer be used: closed, or a product failed and may have left a worker mid-block. */
  let unusable: string | undefined;

  /** Waits until worker `flags` has copied its JOB into DONE; false if it failed or stopped answering. */
  const finish = (flags: Int32Array, limitMs: number): boolean => {
    const job = Atomics.load(flags, JOB), before = Atomics.load(flags, DONE);
    if (before !== job) {
      const began = Date.now();
      if (waitForChange(flags, DONE, before, FINISH_SPINS, () => Date.now() - began > limitMs) !== job) return false;
    }
    return Atomics.load(flags, FAILED) === 0;
  };

  return {
    count,
    assignScratch(addresses) {
      addresses.forEach((address, i) => Atomics.store(slots[i]!, SCRATCH, address | 0));
    },
    blocksDone: () => slots.map((flags) => Atomics.load(flags, BLOCKS)),
    compute(product, cut, gemm, scratch) {
      if (unusable) throw new Error(`the kernels' threads cannot be used: ${unusable}`);
      control.share(product, cut);
      for (const flags of slots) {
        Atomics.store(flags, JOB, (Atomics.load(flags, JOB) + 1) & 0x3fffffff);
        Atomics.notify(flags, JOB);
      }
      // A worker is left at most one block when the main thread runs out; allow a minute, and more for huge blocks at ≥ 0.1 GFLOP/s.
      const limitMs = 60_000 + (2 * (cut.byColumns ? cut.m : cut.n) * cut.size * product[2]) / 1e5;
      let failure: Error | undefined;
      try {
        control.computeBlocks(gemm, scratch);
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
      } finally {
        // Every worker must be out of this product before the next one rewrites the control block.
        let answered = true;
        for (const flags of slots) answered = finish(flags, limitMs) && answered;
        if (failure === undefined && !answered) failure = new Error("a product worker thread failed or stopped answering (its error, if any, is on standard error)");
      }
      if (failure !== undefined) {
        unusable = "a product failed";
        throw failure;
      }
    },
    async close() {
      if (unusable === "closed") return;
      unusable = "closed";
      for (const flags of slots) {
        Atomics.store(flags, JOB, STOP);
        Atomics.notify(flags, JOB);
      }
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
