/** A block of a product's output C: rows row..row+rows, columns col..col+cols. */
export interface Block {
  readonly row: number;
  readonly rows: number;
  readonly col: number;
  readonly cols: number;
}

/**
 * Splits an m×n output into at most `parts` blocks, one per thread. Every
 * thread packs all of the operand it does not split, so the cut runs along
 * the longer side: splitting columns repeats the packing of A (m×k),
 * splitting rows that of B (k×n). Cuts fall on multiples of the micro-tile
 * (`rowAlign` rows, `colAlign` columns) so no thread computes a ragged tile
 * that the single-threaded product would not.
 */
export function splitProduct(m: number, n: number, parts: number, rowAlign: number, colAlign: number): Block[] {
  const byColumns = n >= m;
  const length = byColumns ? n : m, align = byColumns ? colAlign : rowAlign;
  const size = Math.max(align, Math.ceil(length / parts / align) * align);
  const blocks: Block[] = [];
  for (let start = 0; start < length; start += size) {
    const extent = Math.min(size, length - start);
    blocks.push(byColumns ? { row: 0, rows: m, col: start, cols: extent } : { row: start, rows: extent, col: 0, cols: n });
  }
  return blocks;
}
