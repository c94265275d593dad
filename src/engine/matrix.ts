/**
 * Storage-generic dense matrices. Exercises use Float64Array, training uses
 * Float32Array; every algorithm in the engine is written once over `Floats`.
 */
export type Floats = Float64Array | Float32Array;
export type DType = "float64" | "float32";

/** A row-major matrix. For activations rows are samples; for weights rows are neurons. */
export interface Matrix<F extends Floats = Floats> {
  readonly rows: number;
  readonly cols: number;
  readonly data: F;
}

export type Rows = readonly (readonly number[])[];

export function allocate(dtype: DType, length: number): Floats {
  return dtype === "float64" ? new Float64Array(length) : new Float32Array(length);
}

export function dtypeOf(data: Floats): DType {
  return data instanceof Float64Array ? "float64" : "float32";
}

export function zeros(dtype: DType, rows: number, cols: number): Matrix {
  return { rows, cols, data: allocate(dtype, rows * cols) };
}

/** A matrix with the storage of `like` (float64 stays float64, float32 stays float32). */
export function zerosLike(like: Floats, rows: number, cols: number): Matrix {
  return zeros(dtypeOf(like), rows, cols);
}

export function fromRows(dtype: DType, rows: Rows, cols = rows[0]?.length ?? 0): Matrix {
  const m = zeros(dtype, rows.length, cols);
  rows.forEach((row, i) => {
    if (row.length !== cols) throw new RangeError(`row ${i} has ${row.length} entries, expected ${cols}`);
    m.data.set(row, i * cols);
  });
  return m;
}

export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** A view of row `i` (no copy); a one-row matrix is its own row, so a single sample allocates nothing. */
export function rowOf<F extends Floats>(m: Matrix<F>, i: number): F {
  if (m.rows === 1 && m.data.length === m.cols) return m.data;
  // Past the last row, an empty view, as subarray gives.
  return rowViews(m)[i] ?? (m.data.subarray(0, 0) as F);
}

/**
 * The row views of each storage, by its shape. The per-sample loops of a
 * training step (the loss, its gradient, and softmax where the engine
 * computes it) visit every row of the same buffers each step, and building a
 * view costs more than those rows' arithmetic: made once, they took a W2
 * batch's softmax, loss and gradient passes, all in TypeScript then, from
 * about 180 µs to about 100. Weak, so a storage's views go with it.
 */
const views = new WeakMap<Floats, { readonly cols: number; readonly rows: readonly Floats[] }>();

function rowViews<F extends Floats>(m: Matrix<F>): readonly F[] {
  const cached = views.get(m.data);
  // Two matrices may share a storage with different shapes: the views are the ones for this shape.
  if (cached && cached.cols === m.cols && cached.rows.length === m.rows) return cached.rows as readonly F[];
  const rows = Array.from({ length: m.rows }, (_, i) => m.data.subarray(i * m.cols, (i + 1) * m.cols) as F);
  views.set(m.data, { cols: m.cols, rows });
  return rows;
}

export function copy(m: Matrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() };
}
