import { blockOf, type Cut } from "./split.js";

/**
 * The control block through which the main thread shares a product with
 * worker threads, in a SharedArrayBuffer of 32-bit integers: the product's
 * arguments and its blocks, a counter from which every thread claims the
 * next block (so a worker that starts late, or runs on a busy core, simply
 * computes fewer, and the main thread waits at most for the block it is
 * finishing and for its wake-up), and a slot per worker. The main thread bumps a worker's
 * JOB; the worker claims blocks until none are left and copies JOB into
 * DONE. Both sides spin briefly before sleeping in Atomics.wait: a futex
 * round trip costs ~15 µs, a spin that catches the change well under 1 µs,
 * and a training step hands out products back to back.
 */

/** The product: gemm's arguments in the order of assembly/gemm.ts, without the scratch (each thread has its own). */
export type Product = readonly [m: number, n: number, k: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number, ldc: number];
export type Gemm = (...args: [...Product, number]) => void;
const PRODUCT_INTS = 11;
/** How C is cut (split.ts): along columns (1) or rows (0), blocks of BLOCK_SIZE, BLOCK_COUNT of them. */
const BY_COLUMNS = 11;
const BLOCK_SIZE = 12;
const BLOCK_COUNT = 13;
/** The next block to claim. */
const NEXT = 14;
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
  private readonly product: Uint32Array;

  /** A new buffer for `workers` workers, or the views of one made elsewhere. */
  constructor(from: number | SharedArrayBuffer) {
    this.buffer = typeof from === "number" ? new SharedArrayBuffer((HEADER_INTS + from * SLOT_INTS) * Int32Array.BYTES_PER_ELEMENT) : from;
    this.header = new Int32Array(this.buffer, 0, HEADER_INTS);
    this.product = new Uint32Array(this.buffer, 0, PRODUCT_INTS);
  }

  /** Worker `slot`'s JOB, DONE, FAILED, SCRATCH and BLOCKS. */
  slot(slot: number): Int32Array {
    return new Int32Array(this.buffer, (HEADER_INTS + slot * SLOT_INTS) * Int32Array.BYTES_PER_ELEMENT, SLOT_INTS);
  }

  /** Publishes a product and its cut, before any JOB is bumped. */
  share(product: Product, cut: Cut): void {
    this.product.set(product);
    this.header[BY_COLUMNS] = cut.byColumns ? 1 : 0;
    this.header[BLOCK_SIZE] = cut.size;
    this.header[BLOCK_COUNT] = cut.count;
    Atomics.store(this.header, NEXT, 0);
  }

  /**
   * Claims and computes blocks of the shared product until none are left:
   * block i's operands and output are offsets into the whole product's.
   * Returns how many this thread computed.
   */
  computeBlocks(gemm: Gemm, scratch: number): number {
    const p = this.product, h = this.header;
    const m = p[0]!, n = p[1]!, k = p[2]!, a = p[3]!, aRow = p[4]!, aCol = p[5]!, b = p[6]!, bRow = p[7]!, bCol = p[8]!, c = p[9]!, ldc = p[10]!;
    const cut: Cut = { m, n, byColumns: h[BY_COLUMNS] === 1, size: h[BLOCK_SIZE]!, count: h[BLOCK_COUNT]! };
    let done = 0;
    for (let i = Atomics.add(h, NEXT, 1); i < cut.count; i = Atomics.add(h, NEXT, 1), done++) {
      const { row, rows, col, cols } = blockOf(cut, i);
      gemm(rows, cols, k, a + 4 * row * aRow, aRow, aCol, b + 4 * col * bCol, bRow, bCol, c + 4 * (row * ldc + col), ldc, scratch);
    }
    return done;
  }
}

/**
 * Waits until flags[index] differs from `from` and returns the new value:
 * first `spins` polls, then Atomics.wait. With `giveUp`, the wait wakes every
 * 100 ms to ask it whether to stop waiting on a thread that will never
 * answer; without, it sleeps until notified.
 */
export function waitForChange(flags: Int32Array, index: number, from: number, spins: number, giveUp?: () => boolean): number {
  for (let i = 0; i < spins; i++) {
    const value = Atomics.load(flags, index);
    if (value !== from) return value;
  }
  for (;;) {
    Atomics.wait(flags, index, from, giveUp ? 100 : Infinity);
    const value = Atomics.load(flags, index);
    if (value !== from) return value;
    if (giveUp?.()) return value;
  }
}
