/** A block of a product's output C: rows row..row+rows, columns col..col+cols. */
export interface Block {
  readonly row: number;
  readonly rows: number;
  readonly col: number;
  readonly cols: number;
}

/**
 * Splits an m×n output into at most `parts` blocks of one size (the last
 * may be shorter). Every block packs all of the operand it does not cut, so
 * the cut runs along the longer side: cutting columns repeats the packing of
 * A (m×k), cutting rows that of B (k×n). Cuts fall on multiples of the
 * micro-tile (`rowAlign` rows, `colAlign` columns) so no block computes a
 * ragged tile that the whole product would not.
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
