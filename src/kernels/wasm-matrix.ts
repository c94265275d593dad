import type { Heap } from "./heap.js";
import type { KernelMatrix } from "./kernels.js";

/**
 * A matrix at a fixed address in a Heap. Its `data` view is re-derived
 * whenever the memory has grown, since growth detaches the old buffer.
 */
export class WasmMatrix implements KernelMatrix {
  private view: Float32Array;
  private freed = false;

  constructor(
    readonly heap: Heap,
    readonly address: number,
    readonly rows: number,
    readonly cols: number,
  ) {
    this.view = heap.floats(address, rows * cols);
  }

  get data(): Float32Array {
    this.expectLive();
    if (this.view.buffer !== this.heap.memory.buffer) this.view = this.heap.floats(this.address, this.rows * this.cols);
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
