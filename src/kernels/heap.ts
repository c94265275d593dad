import { WASM_PAGE_BYTES, type WasmMemory } from "./wasm-api.js";

/** v128 loads and stores are fastest on 16-byte boundaries. */
const ALIGN = 16;
const aligned = (bytes: number): number => Math.ceil(bytes / ALIGN) * ALIGN;

/**
 * Allocation in a module's linear memory, kept in JavaScript so the
 * WebAssembly code never allocates. Blocks are taken from the top and grow
 * the memory when it runs out; a freed block is reused by the next request of
 * the same size, which is how a trainer asks (the same layer shapes each step).
 */
export class Heap {
  private top: number;
  /** Counts growths: a view made before the latest one may be detached (on shared memory it stays valid). */
  generation = 0;
  private readonly spare = new Map<number, number[]>();

  constructor(
    readonly memory: WasmMemory,
    base: number,
  ) {
    this.top = aligned(base);
  }

  /** The address of `bytes` zero-filled bytes, 16-byte aligned. */
  allocate(bytes: number): number {
    const size = aligned(Math.max(bytes, 1));
    const reused = this.spare.get(size)?.pop();
    if (reused !== undefined) {
      new Uint8Array(this.memory.buffer, reused, size).fill(0);
      return reused;
    }
    const address = this.top;
    this.reserve(address + size);
    this.top = address + size;
    return address;
  }

  free(address: number, bytes: number): void {
    const size = aligned(Math.max(bytes, 1));
    const list = this.spare.get(size);
    if (list) list.push(address);
    else this.spare.set(size, [address]);
  }

  /** A view of `length` floats at `address` on the current buffer. */
  floats(address: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, address, length);
  }

  /** Grows the memory to hold `end` bytes; fresh pages are zero. */
  private reserve(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      this.memory.grow(Math.ceil((end - have) / WASM_PAGE_BYTES));
      this.generation++;
    }
  }
}
