import type { AdamRule } from "../engine/updates.js";
import { blockOf, type Block, type Cut } from "./split.js";
import type { KernelExports } from "./wasm-kernels.js";

/**
 * The control block through which the main thread shares a product, or an
 * optimizer's update of a parameter matrix, with worker threads, in a
 * SharedArrayBuffer of 32-bit integers: the task's arguments and its blocks,
 * a counter from which every thread claims the next block (so a worker that
 * starts late, or runs on a busy core, simply computes fewer, and the main
 * thread waits at most for the block it is finishing and for its wake-up),
 * and a slot per worker. The main thread bumps a worker's JOB; the worker
 * claims blocks until none are left and copies JOB into DONE. Both sides
 * spin briefly before sleeping in Atomics.wait: a futex round trip costs
 * ~15 µs, a spin that catches the change well under 1 µs, and a training
 * step hands out products back to back.
 */

/** The product: gemm's arguments in the order of assembly/gemm.ts, without the scratch (each thread has its own). */
export type Product = readonly [
  m: number,
  n: number,
  k: number,
  a: number,
  aRow: number,
  aCol: number,
  b: number,
  bRow: number,
  bCol: number,
  c: number,
  ldc: number,
];
/**
 * An optimizer's pass over one parameter matrix of `count` floats, cut into
 * spans (a cut of 1×count): an update reads and writes each element alone,
 * so any split gives the same bits.
 */
export type Update =
  | { readonly kind: "scaleAdd"; readonly count: number; readonly y: number; readonly a: number; readonly x: number; readonly b: number }
  | { readonly kind: "adam"; readonly count: number; readonly w: number; readonly g: number; readonly m: number; readonly v: number; readonly rule: AdamRule };
/** What a thread computes its blocks with: the module's exports. */
export type BlockKernels = Pick<KernelExports, "gemm" | "scaleAdd" | "adam">;
/** The task's arguments: a product's 11, or an update's count, 4 addresses and 6 scalars (as float32, which is what the kernels take). */
const TASK_INTS = 11;
const COUNT = 0,
  ADDRESSES = 1,
  SCALARS = 5;
/** How C is cut (split.ts): along columns (1) or rows (0), into BLOCK_COUNT blocks of whole BLOCK_ALIGN-wide tiles. */
const BY_COLUMNS = 11;
const BLOCK_ALIGN = 12;
const BLOCK_COUNT = 13;
/** The next block to claim. */
const NEXT = 14;
/** What is shared: a product or an update. */
const KIND = 15;
const PRODUCT = 0,
  SCALE_ADD = 1,
  ADAM = 2;
const HEADER_INTS = 16;

/** Int32 indices within a worker's slot. */
export const JOB = 0;
export const DONE = 1;
/** 0, or 1 when a block the worker computed threw (its error is on standard error, or a Web Worker's console). */
export const FAILED = 2;
/** The address of the worker's packing space in the shared memory, set once by the main thread. */
export const SCRATCH = 3;
/** How many blocks the worker has computed, in all. */
export const BLOCKS = 4;
const SLOT_INTS = 8;

/** JOB's value that asks the worker to return. */
export const STOP = -1;

/** Views of one control buffer, made once on each side: products are shared many times a step. */
export class ControlBlock {
  readonly buffer: SharedArrayBuffer;
  private readonly header: Int32Array;
  private readonly ints: Uint32Array;
  private readonly scalars: Float32Array;

  /** A new buffer for `workers` workers, or the views of one made elsewhere. */
  constructor(from: number | SharedArrayBuffer) {
    this.buffer = typeof from === "number" ? new SharedArrayBuffer((HEADER_INTS + from * SLOT_INTS) * Int32Array.BYTES_PER_ELEMENT) : from;
    this.header = new Int32Array(this.buffer, 0, HEADER_INTS);
    this.ints = new Uint32Array(this.buffer, 0, TASK_INTS);
    this.scalars = new Float32Array(this.buffer, 0, TASK_INTS);
  }

  /** Worker `slot`'s JOB, DONE, FAILED, SCRATCH and BLOCKS. */
  slot(slot: number): Int32Array {
    return new Int32Array(this.buffer, (HEADER_INTS + slot * SLOT_INTS) * Int32Array.BYTES_PER_ELEMENT, SLOT_INTS);
  }

  /** Publishes a product and its cut, before any JOB is bumped. */
  share(product: Product, cut: Cut): void {
    this.ints.set(product);
    this.publish(PRODUCT, cut);
  }

  /** Publishes an update and its cut into spans, before any JOB is bumped. */
  shareUpdate(update: Update, cut: Cut): void {
    const { ints, scalars } = this;
    ints[COUNT] = update.count;
    if (update.kind === "scaleAdd") {
      ints[ADDRESSES] = update.y;
      ints[ADDRESSES + 1] = update.x;
      scalars[SCALARS] = update.a;
      scalars[SCALARS + 1] = update.b;
    } else {
      const { rule } = update;
      ints[ADDRESSES] = update.w;
      ints[ADDRESSES + 1] = update.g;
      ints[ADDRESSES + 2] = update.m;
      ints[ADDRESSES + 3] = update.v;
      scalars[SCALARS] = rule.beta1;
      scalars[SCALARS + 1] = rule.beta2;
      scalars[SCALARS + 2] = rule.step;
      scalars[SCALARS + 3] = rule.correction2;
      scalars[SCALARS + 4] = rule.epsilon;
      scalars[SCALARS + 5] = rule.keep;
    }
    this.publish(update.kind === "scaleAdd" ? SCALE_ADD : ADAM, cut);
  }

  private publish(kind: number, cut: Cut): void {
    const h = this.header;
    h[KIND] = kind;
    h[BY_COLUMNS] = cut.byColumns ? 1 : 0;
    h[BLOCK_ALIGN] = cut.align;
    h[BLOCK_COUNT] = cut.count;
    Atomics.store(h, NEXT, 0);
  }

  /**
   * Claims and computes blocks of the shared task until none are left:
   * block i's operands and output are offsets into the whole task's.
   * Returns how many this thread computed.
   */
  computeBlocks(kernels: BlockKernels, scratch: number): number {
    const h = this.header,
      kind = h[KIND];
    const cut: Cut =
      kind === PRODUCT
        ? { m: this.ints[0]!, n: this.ints[1]!, byColumns: h[BY_COLUMNS] === 1, align: h[BLOCK_ALIGN]!, count: h[BLOCK_COUNT]! }
        : { m: 1, n: this.ints[COUNT]!, byColumns: true, align: h[BLOCK_ALIGN]!, count: h[BLOCK_COUNT]! };
    let done = 0;
    for (let i = Atomics.add(h, NEXT, 1); i < cut.count; i = Atomics.add(h, NEXT, 1), done++) {
      const block = blockOf(cut, i);
      if (kind === PRODUCT) this.productBlock(kernels, block, scratch);
      else this.updateSpan(kernels, kind === SCALE_ADD, block.col, block.cols);
    }
    return done;
  }

  private productBlock(kernels: BlockKernels, { row, rows, col, cols }: Block, scratch: number): void {
    const p = this.ints;
    const k = p[2]!,
      a = p[3]!,
      aRow = p[4]!,
      aCol = p[5]!,
      b = p[6]!,
      bRow = p[7]!,
      bCol = p[8]!,
      c = p[9]!,
      ldc = p[10]!;
    kernels.gemm(rows, cols, k, a + 4 * row * aRow, aRow, aCol, b + 4 * col * bCol, bRow, bCol, c + 4 * (row * ldc + col), ldc, scratch);
  }

  /** Elements start..start+length of the shared update. */
  private updateSpan(kernels: BlockKernels, scaleAdd: boolean, start: number, length: number): void {
    const p = this.ints,
      f = this.scalars,
      offset = 4 * start;
    const at = (slot: number): number => p[ADDRESSES + slot]! + offset;
    if (scaleAdd) kernels.scaleAdd(at(0), f[SCALARS]!, at(1), f[SCALARS + 1]!, length);
    else kernels.adam(at(0), at(1), at(2), at(3), length, f[SCALARS]!, f[SCALARS + 1]!, f[SCALARS + 2]!, f[SCALARS + 3]!, f[SCALARS + 4]!, f[SCALARS + 5]!);
  }
}

/**
 * How many times a thread polls before it sleeps, adapted to the machine: a
 * wait whose polls caught the change doubles the budget (up to `most`); a
 * second wait in a row whose polls ran out quarters it (down to `least`). On a quiet machine the
 * other thread answers within the polls and waits stay spins. When other
 * processes take the cores, the thread waited on is often not running, the
 * polls only keep a core from it, and the budget falls until waits are
 * sleeps: without this, two threads trained W2 at a third of one thread's
 * speed on a loaded 2-core machine.
 */
export class SpinBudget {
  spins: number;
  /** Waits in a row whose polls ran out: one alone is a long gap (an epoch's end), not a busy machine. */
  private misses = 0;

  constructor(
    readonly most: number,
    readonly least = 1_000,
  ) {
    this.spins = most;
  }

  after(caught: boolean): void {
    this.misses = caught ? 0 : this.misses + 1;
    if (caught) this.spins = Math.min(this.most, this.spins * 2);
    else if (this.misses >= 2) this.spins = Math.max(this.least, this.spins >>> 2);
  }
}

/**
 * Waits until flags[index] differs from `from` and returns the new value:
 * first the budget's polls, then Atomics.wait. With `giveUp`, the wait wakes
 * every 100 ms to ask it whether to stop waiting on a thread that will never
 * answer; without, it sleeps until notified.
 */
export function waitForChange(flags: Int32Array, index: number, from: number, budget: SpinBudget, giveUp?: () => boolean): number {
  for (let i = 0, spins = budget.spins; i < spins; i++) {
    const value = Atomics.load(flags, index);
    if (value !== from) {
      budget.after(true);
      return value;
    }
  }
  budget.after(false);
  for (;;) {
    Atomics.wait(flags, index, from, giveUp ? 100 : Infinity);
    const value = Atomics.load(flags, index);
    if (value !== from) return value;
    if (giveUp?.()) return value;
  }
}
