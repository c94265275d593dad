/**
 * Numbers for people: at most `decimals` decimal places with trailing zeros
 * dropped (0.5700000000000001 → 0.57, 7 → 7), and scientific notation for
 * values too small or too large to show that way. The trace keeps full float64.
 */
export function formatNumber(value: number, decimals = 4): string {
  if (!Number.isFinite(value)) return value > 0 ? "∞" : value < 0 ? "−∞" : "NaN";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude < 10 ** -decimals || magnitude >= 1e9) {
    return value.toExponential(Math.max(decimals - 1, 1)).replace(/\.?0+e/, "e").replace("-", "−");
  }
  const fixed = value.toFixed(decimals);
  const trimmed = fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
  return trimmed === "-0" ? "0" : trimmed.replace("-", "−");
}
