/**
 * Numbers for people: at most `decimals` decimal places with trailing zeros
 * dropped (0.5700000000000001 → 0.57, 7 → 7), and scientific notation for
 * values too small or too large to show that way. The trace keeps full
 * float64. ASCII only; each output format decides how to show the minus sign.
 */
export function formatNumber(value: number, shown = 4): string {
  // A float64 has 17 significant digits; more decimals (a claim printed with 101) show nothing new, and toFixed refuses past 100.
  const decimals = Math.min(Math.max(0, Math.trunc(shown)), 20);
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : value < 0 ? "-Infinity" : "NaN";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude < 10 ** -decimals || magnitude >= 1e9) {
    return value.toExponential(Math.max(decimals - 1, 1)).replace(/\.?0+e/, "e");
  }
  const fixed = value.toFixed(decimals);
  const trimmed = fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
  return trimmed === "-0" ? "0" : trimmed;
}

/** The typographic minus sign, for text meant to be read. */
export function typographic(number: string): string {
  return number.replace(/^-/, "−").replace("e-", "e−").replace("Infinity", "∞");
}
