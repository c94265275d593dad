import type { ProductWorkerData } from "./product-worker.js";
import { onNode } from "./runtime.js";
import { blockOf, type Cut } from "./split.js";
import {
  BLOCKS,
  ControlBlock,
  DONE,
  FAILED,
  JOB,
  SCRATCH,
  SpinBudget,
  STOP,
  waitForChange,
  type BlockKernels,
  type Product,
  type Update,
} from "./thread-control.js";
import type { WasmMemory } from "./wasm-api.js";

/**
 * Worker threads that compute blocks of a product, and spans of a parameter
 * update, beside the main thread (see product-worker.ts for their side,
 * thread-control.ts for the protocol).
 */
export interface ProductWorkers {
  readonly count: number;
  /** Gives each worker its packing space in the shared memory; before the first product. */
  assignScratch(addresses: readonly number[]): void;
  /**
   * Computes `product` cut as `cut`: the workers and the calling thread
   * (with `kernels` and `scratch`) claim blocks until none are left; returns
   * when every block is done.
   */
  compute(product: Product, cut: Cut, kernels: BlockKernels, scratch: number): void;
  /** Applies `update` cut into spans as `cut`, shared the same way. */
  update(update: Update, cut: Cut, kernels: BlockKernels): void;
  /** How many blocks (or spans) each worker has computed so far. */
  blocksDone(): number[];
  /** Stops the threads; the kernels must not be used afterwards. */
  close(): Promise<void>;
}

/** Node's worker_threads, or undefined elsewhere. */
async function workerThreads(): Promise<typeof import("node:worker_threads") | undefined> {
  return onNode() ? import("node:worker_threads") : undefined;
}

/** The part of a browser's Worker used here (the project's libraries declare no DOM). */
interface WebWorker {
  postMessage(message: unknown): void;
  addEventListener(type: "message" | "error", listener: (event: { message?: string }) => void, options: { once: true }): void;
  terminate(): void;
}
type WebWorkerConstructor = new (url: URL, options: { type: "module"; name: string }) => WebWorker;

function webWorkerConstructor(): WebWorkerConstructor | undefined {
  return (globalThis as { Worker?: WebWorkerConstructor }).Worker;
}

/**
 * Whether this thread may block in Atomics.wait, as the main side of a product
 * does while a worker finishes: a browser forbids it on a page's own thread,
 * and allows it in a Web Worker. A wait on a value that already differs
 * returns at once where it is allowed.
 */
function mayWait(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether this runtime can run the kernels on more than one thread: Node with
 * worker_threads, or a browser's Web Worker on a cross-origin isolated page
 * (the only place a browser shares memory between threads).
 */
export async function threadsAvailable(): Promise<boolean> {
  if (typeof SharedArrayBuffer !== "function") return false;
  if (await workerThreads()) return true;
  return webWorkerConstructor() !== undefined && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true && mayWait();
}

/** The cores this process may use, or 1 where threads are not available. */
export async function availableCores(): Promise<number> {
  if (!(await threadsAvailable())) return 1;
  if (await workerThreads()) {
    const { availableParallelism } = await import("node:os");
    return availableParallelism();
  }
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

/** A started worker: ready once it has read its data and instantiated the kernels. */
interface StartedWorker {
  readonly ready: Promise<void>;
  terminate(): Promise<unknown>;
}

/**
 * The built worker script, as a string so that a bundler does not copy it for
 * Node's worker_threads; the Web Worker below names it literally, which is how
 * bundlers (Vite, webpack, esbuild) find a worker to bundle.
 */
const NODE_WORKER_SCRIPT = "../../dist/kernels/product-worker.js";

function startNodeWorker(threads: typeof import("node:worker_threads"), data: ProductWorkerData): StartedWorker {
  const worker = new threads.Worker(new URL(NODE_WORKER_SCRIPT, import.meta.url), { workerData: data });
  // An idle worker sleeping in Atomics.wait must not keep the process alive.
  worker.unref();
  const ready = new Promise<void>((resolve, reject) => {
    worker.once("message", () => {
      resolve();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      reject(new Error(`a product worker exited with code ${code} before it was ready`));
    });
  });
  return { ready, terminate: () => worker.terminate() };
}

function startWebWorker(Worker: WebWorkerConstructor, data: ProductWorkerData): StartedWorker {
  const worker = new Worker(new URL("../../dist/kernels/product-worker.js", import.meta.url), { type: "module", name: `gradstep products ${data.slot}` });
  const ready = new Promise<void>((resolve, reject) => {
    worker.addEventListener(
      "message",
      () => {
        resolve();
      },
      { once: true },
    );
    worker.addEventListener(
      "error",
      (event) => {
        reject(new Error(`a product worker failed to start: ${event.message ?? "no reason given"}`));
      },
      { once: true },
    );
  });
  worker.postMessage(data);
  return {
    ready,
    terminate: () => {
      worker.terminate();
      return Promise.resolve();
    },
  };
}

/**
 * How long a worker may take to read its data and compile the kernels (a few
 * milliseconds when the machine is idle): past it, starting the threads fails
 * instead of waiting forever on a worker that could not start.
 */
const START_LIMIT_MS = 60_000;

function withinStartLimit(ready: Promise<void>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`a product worker was not ready within ${START_LIMIT_MS / 1000} s`));
    }, START_LIMIT_MS);
    // Node: the limit alone must not keep a process alive.
    (timer as { unref?: () => void }).unref?.();
  });
  return Promise.race([ready, late]).finally(() => {
    clearTimeout(timer);
  });
}

/** Polls, at most, before sleeping while the main thread waits for a worker finishing its last block. */
const FINISH_SPINS = 1_000_000;

/** `count` workers running the shared-memory module `bytes` on `memory`, each ready when this resolves. */
export async function startProductWorkers(bytes: Uint8Array, memory: WasmMemory, count: number): Promise<ProductWorkers> {
  const threads = await workerThreads();
  const Worker = threads ? undefined : webWorkerConstructor();
  if (!threads && !Worker) throw new Error("worker threads are not available in this runtime");
  const control = new ControlBlock(count);
  const workers: StartedWorker[] = [];
  const stopAll = () => Promise.all(workers.map((worker) => worker.terminate()));
  try {
    for (let slot = 0; slot < count; slot++) {
      const data: ProductWorkerData = { bytes, memory, control: control.buffer, slot };
      workers.push(threads ? startNodeWorker(threads, data) : startWebWorker(Worker!, data));
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  const started = await Promise.allSettled(workers.map((worker) => withinStartLimit(worker.ready)));
  const failed = started.find((result) => result.status === "rejected");
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  const slots = workers.map((_, slot) => control.slot(slot));
  const finishBudget = new SpinBudget(FINISH_SPINS);
  /** Why the threads can no longer be used: closed, or a task failed and may have left a worker mid-block. */
  let unusable: string | undefined;

  /** Waits until worker `flags` has copied its JOB into DONE; false if it failed or stopped answering. */
  const finish = (flags: Int32Array, limitMs: number): boolean => {
    const job = Atomics.load(flags, JOB),
      before = Atomics.load(flags, DONE);
    if (before !== job) {
      const began = Date.now();
      if (waitForChange(flags, DONE, before, finishBudget, () => Date.now() - began > limitMs) !== job) return false;
    }
    return Atomics.load(flags, FAILED) === 0;
  };

  /**
   * Runs what `share` published: bumps every worker's JOB, claims blocks on
   * this thread too, then waits (up to `limitMs` for a worker's last block)
   * until every worker is out of the task.
   */
  const run = (share: () => void, limitMs: number, kernels: BlockKernels, scratch: number): void => {
    if (unusable) throw new Error(`the kernels' threads cannot be used: ${unusable}`);
    share();
    for (const flags of slots) {
      Atomics.store(flags, JOB, (Atomics.load(flags, JOB) + 1) & 0x3fffffff);
      Atomics.notify(flags, JOB);
    }
    let failure: Error | undefined;
    try {
      control.computeBlocks(kernels, scratch);
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    } finally {
      // Every worker must be out of this task before the next one rewrites the control block.
      let answered = true;
      for (const flags of slots) answered = finish(flags, limitMs) && answered;
      if (failure === undefined && !answered)
        failure = new Error("a product worker thread failed or stopped answering (its error, if any, is on standard error or the worker's console)");
    }
    if (failure !== undefined) {
      unusable = "a task failed";
      throw failure;
    }
  };

  return {
    count,
    assignScratch(addresses) {
      addresses.forEach((address, i) => Atomics.store(slots[i]!, SCRATCH, address | 0));
    },
    blocksDone: () => slots.map((flags) => Atomics.load(flags, BLOCKS)),
    compute(product, cut, kernels, scratch) {
      // A worker is left at most one block when the main thread runs out; allow a minute, and more for huge blocks (block 0 is the largest) at ≥ 0.1 GFLOP/s.
      const { rows, cols } = blockOf(cut, 0);
      const limitMs = 60_000 + (2 * rows * cols * product[2]) / 1e5;
      run(
        () => {
          control.share(product, cut);
        },
        limitMs,
        kernels,
        scratch,
      );
    },
    update(update, cut, kernels) {
      // A span of an update is a few operations an element: a minute is plenty for any span that fits in memory.
      run(
        () => {
          control.shareUpdate(update, cut);
        },
        60_000,
        kernels,
        0,
      );
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
