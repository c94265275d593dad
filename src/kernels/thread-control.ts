import type { Block } from "./split.js";

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
export const PRODUCT = 0;
export type Product = readonly [m: number, n: number, k: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number, ldc: number];
const PRODUCT_INTS = 11;
/** How C is cut: along columns (1) or rows (0), blocks of BLOCK_SIZE, BLOCK_COUNT of them. */
const BY_COLUMNS = 11;
const BLOCK_SIZE = 12;
const BLOCK_COUNT = 13;
/** The next block to claim. */
const NEXT = 14;
const HEADER_INTS = 16;

/** Int32 indices within a worker's slot. */
export const JOB = 0;
export const DONE = 1;
/** 0, or 1 when a block the worker computed threw (its error is on standard error). */
export const FAILED = 2;
/** The address of the worker's packing space in the shared memory, set once by the main thread. */
export const SCRATCH = 3;
/** How many blocks the worker has computed, in all. */
export const BLOCKS = 4;
const SLOT_INTS = 8;

/** JOB's value that asks the worker to return. */
export const STOP = -1;

export function controlBuffer(workers: number): SharedArrayBuffer {
  return new SharedArrayBuffer((HEADER_INTS + workers * SLOT_INTS) * Int32Array.BYTES_PER_ELEMENT);
}

/** Worker `slot`'s JOB, DONE and FAILED. */
export function slotFlags(control: SharedArrayBuffer, slot: number): Int32Array {
  return new Int32Array(control, (HEADER_INTS + slot * SLOT_INTS) * Int32Array.BYTES_PER_ELEMENT, SLOT_INTS);
}

/** Publishes a product cut into `blocks` (all of one size along one side, as splitProduct makes them), before any JOB is bumped. */
export function shareProduct(control: SharedArrayBuffer, product: Product, blocks: readonly Block[]): void {
  const header = new Int32Array(control, 0, HEADER_INTS);
  new Uint32Array(control, 0, PRODUCT_INTS).set(product);
  const first = blocks[0]!, byColumns = first.cols < product[1];
  header[BY_COLUMNS] = byColumns ? 1 : 0;
  header[BLOCK_SIZE] = byColumns ? first.cols : first.rows;
  header[BLOCK_COUNT] = blocks.length;
  Atomics.store(header, NEXT, 0);
}

/**
 * Claims and computes blocks of the shared product until none are left:
 * block i's operands and output are offsets into the whole product's.
 * Returns how many this thread computed.
 */
export function computeBlocks(control: SharedArrayBuffer, gemm: (...args: [...Product, number]) => void, scratch: number): number {
  const header = new Int32Array(control, 0, HEADER_INTS);
  const [m, n, k, a, aRow, aCol, b, bRow, bCol, c, ldc] = new Uint32Array(control, 0, PRODUCT_INTS);
  const byColumns = header[BY_COLUMNS] === 1, size = header[BLOCK_SIZE]!, count = header[BLOCK_COUNT]!;
  let done = 0;
  for (let i = Atomics.add(header, NEXT, 1); i < count; i = Atomics.add(header, NEXT, 1), done++) {
    const start = i * size;
    if (byColumns) gemm(m!, Math.min(size, n! - start), k!, a!, aRow!, aCol!, b! + 4 * start * bCol!, bRow!, bCol!, c! + 4 * start, ldc!, scratch);
    else gemm(Math.min(size, m! - start), n!, k!, a! + 4 * start * aRow!, aRow!, aCol!, b!, bRow!, bCol!, c! + 4 * start * ldc!, ldc!, scratch);
  }
  return done;
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
