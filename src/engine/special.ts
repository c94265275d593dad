/**
 * The special functions the activations need beyond Math: the error
 * function, to about 3 units in the last place over every double (checked
 * against Python's math.erf), since JavaScript has none.
 */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);

/**
 * e^(−x²) without the rounding of x² that exp would magnify (x² rounds by up
 * to x²·2⁻⁵³ relative, and e^(−x²) inherits that error times x²): x is split
 * into hi + lo with hi² exact.
 */
function expMinusSquare(x: number): number {
  const c = x * 134217729,
    hi = c - (c - x),
    lo = x - hi;
  return Math.exp(-hi * hi) * Math.exp(-lo * (2 * hi + lo));
}

/**
 * erfc(x) for x ≥ 1 by its continued fraction e^(−x²)/√π · 1/(x + ½/(x + 1/(x + 3⁄2/(x + …)))),
 * evaluated from the back: 300 terms converge to double precision from x = 1 on.
 */
function erfcLarge(x: number): number {
  let f = x;
  for (let n = 300; n >= 1; n--) f = x + n / 2 / f;
  return (expMinusSquare(x) * ONE_OVER_SQRT_PI) / f;
}

/**
 * erf(x) = 2/√π ∫₀ˣ e^(−t²) dt. Below 1 the series 2/√π · x e^(−x²) Σ (2x²)ⁿ/(1·3·…·(2n+1)),
 * whose terms are all positive (no cancellation); from 1 on, 1 − erfc(x).
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (Number.isNaN(x)) return NaN;
  let r: number;
  if (ax < 1) {
    const x2 = 2 * ax * ax;
    let term = 1,
      sum = 1;
    for (let n = 1; term > 1e-17 * sum; n++) {
      term *= x2 / (2 * n + 1);
      sum += term;
    }
    r = TWO_OVER_SQRT_PI * ax * expMinusSquare(ax) * sum;
  } else {
    r = ax > 6 ? 1 : 1 - erfcLarge(ax);
  }
  return x < 0 ? -r : r;
}
