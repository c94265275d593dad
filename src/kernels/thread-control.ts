/**
 * The control block through which the main thread hands products to worker
 * threads: one slot of 32-bit integers per worker in a SharedArrayBuffer.
 * The main thread writes a product's arguments and bumps JOB; the worker
 * computes it and copies JOB into DONE. Both sides spin briefly before
 * sleeping in Atomics.wait: a futex round trip costs ~15 µs, a spin that
 * catches the change well under 1 µs, and a training step hands out
 * products back to back.
 */

/** Int32 indices within a worker's slot. */
export const JOB = 0;
export const DONE = 1;
/** 0, or 1 when the worker's last job threw (its message is posted to the parent). */
export const FAILED = 2;
/** The gemm arguments, in the order of assembly/gemm.ts, as unsigned 32-bit values. */
export const ARGS = 3;
export const ARG_COUNT = 12;
export const SLOT_INTS = 16;

/** JOB's value that asks the worker to return. */
export const STOP = -1;

export function controlBuffer(workers: number): SharedArrayBuffer {
  return new SharedArrayBuffer(workers * SLOT_INTS * Int32Array.BYTES_PER_ELEMENT);
}

/**
 * Waits until flags[index] differs from `from` and returns the new value:
 * first `spins` polls, then Atomics.wait, in slices of at most `sliceMs` so
 * that `giveUp` can end a wait on a thread that will never answer.
 */
export function waitForChange(flags: Int32Array, index: number, from: number, spins: number, giveUp?: () => boolean): number {
  for (let i = 0; i < spins; i++) {
    const value = Atomics.load(flags, index);
    if (value !== from) return value;
  }
  for (;;) {
    Atomics.wait(flags, index, from, 100);
    const value = Atomics.load(flags, index);
    if (value !== from) return value;
    if (giveUp?.()) return value;
  }
}
