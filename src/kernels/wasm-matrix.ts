import type { Heap } from "./heap.js";
import type { KernelMatrix } from "./kernels.js";

/**
 * A matrix at a fixed address in a Heap. Its `data` view is re-derived
 * whenever the memory has grown, since growth detaches the old buffer. The
 * check is a counter, not a read of memory.buffer, which is slow on shared
 * memory and `data` is read per row in the engine's loops.
 */
export class WasmMatrix implements KernelMatrix {
  private view: Float32Array;
  private generation: number;
  private freed = false;

  constructor(
    readonly heap: Heap,
    readonly address: number,
    readonly rows: number,
    readonly cols: number,
  ) {
    this.view = heap.floats(address, rows * cols);
    this.generation = heap.generation;
  }

  get data(): Float32Array {
    this.expectLive();
    if (this.generation !== this.heap.generation) {
      this.view = this.heap.floats(this.address, this.rows * this.cols);
      this.generation = this.heap.generation;
    }
    return this.view;
  }

  get bytes(): number {
    return this.rows * this.cols * Float32Array.BYTES_PER_ELEMENT;
  }

  /** Marks the matrix freed; later use throws instead of reading reused memory. */
  release(): void {
    this.expectLive();
    this.freed = true;
  }

  expectLive(): void {
    if (this.freed) throw new Error(`a ${this.rows}x${this.cols} kernel matrix was used after free()`);
  }
}
