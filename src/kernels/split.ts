/** A block of a product's output C: rows row..row+rows, columns col..col+cols. */
export interface Block {
  readonly row: number;
  readonly rows: number;
  readonly col: number;
  readonly cols: number;
}

/** How an m×n output is cut: `count` blocks of `size` columns (or rows), the last perhaps shorter. */
export interface Cut {
  readonly m: number;
  readonly n: number;
  readonly byColumns: boolean;
  readonly size: number;
  readonly count: number;
}

/**
 * Cuts an m×n output into at most `parts` blocks of one size. Every block
 * packs all of the operand it does not cut, so the cut runs along the longer
 * side: cutting columns repeats the packing of A (m×k), cutting rows that of
 * B (k×n). Cuts fall on multiples of the micro-tile (`rowAlign` rows,
 * `colAlign` columns) so no block computes a ragged tile that the whole
 * product would not.
 */
export function cutProduct(m: number, n: number, parts: number, rowAlign: number, colAlign: number): Cut {
  const byColumns = n >= m;
  const length = byColumns ? n : m, align = byColumns ? colAlign : rowAlign;
  const size = Math.max(align, Math.ceil(length / parts / align) * align);
  return { m, n, byColumns, size, count: Math.ceil(length / size) };
}

/** Block `i` of a cut. */
export function blockOf({ m, n, byColumns, size }: Cut, i: number): Block {
  const start = i * size;
  return byColumns ? { row: 0, rows: m, col: start, cols: Math.min(size, n - start) } : { row: start, rows: Math.min(size, m - start), col: 0, cols: n };
}
