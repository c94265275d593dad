/** A block of a product's output C: rows row..row+rows, columns col..col+cols. */
export interface Block {
  readonly row: number;
  readonly rows: number;
  readonly col: number;
  readonly cols: number;
}

/** How an m×n output is cut: into `count` blocks of whole `align`-wide tiles of columns (or rows), as even as tiles allow. */
export interface Cut {
  readonly m: number;
  readonly n: number;
  readonly byColumns: boolean;
  readonly align: number;
  readonly count: number;
}

/**
 * Cuts an m×n output into at most `parts` blocks. Every block packs all of
 * the operand it does not cut, so the cut runs along the longer side:
 * cutting columns repeats the packing of A (m×k), cutting rows that of B
 * (k×n). Cuts fall on multiples of the micro-tile (`rowAlign` rows,
 * `colAlign` columns) so no block computes a ragged tile that the whole
 * product would not, and blocks differ by at most one tile: 256 columns in
 * tiles of 12 cut in four are 72, 72, 60 and 52, where blocks of one size
 * (72, 72, 72, 40) would leave one thread 144 columns and the other 112.
 */
export function cutProduct(m: number, n: number, parts: number, rowAlign: number, colAlign: number): Cut {
  const byColumns = n >= m;
  const align = byColumns ? colAlign : rowAlign;
  return { m, n, byColumns, align, count: Math.max(1, Math.min(parts, tilesOf(byColumns ? n : m, align))) };
}

const tilesOf = (length: number, align: number) => Math.ceil(length / align);

/** Block `i` of a cut. */
export function blockOf({ m, n, byColumns, align, count }: Cut, i: number): Block {
  const length = byColumns ? n : m,
    tiles = tilesOf(length, align);
  // The first `tiles % count` blocks take one tile more than the rest.
  const firstTile = (block: number) => block * Math.floor(tiles / count) + Math.min(block, tiles % count);
  const start = align * firstTile(i),
    size = Math.min(length, align * firstTile(i + 1)) - start;
  return byColumns ? { row: 0, rows: m, col: start, cols: size } : { row: start, rows: size, col: 0, cols: n };
}
