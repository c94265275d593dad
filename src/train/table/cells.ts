/** What one cell of a table holds: reading numbers, dates and missing values the way spreadsheets write them. */

/** Cells that mean "no value": empty, NA, N/A, NaN, null, ?. */
const MISSING = /^(?:|na|n\/a|nan|null|\?)$/i;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
/** ISO 8601 dates with an optional time (`2024-03-15`, `2024-03-15T10:30`, `2024-03-15 10:30:00Z`), or `2024/03/15`. */
const DATE = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const DAY_MS = 86_400_000;
const FLOAT32_MAX = 3.4028234663852886e38;

export function isMissing(text: string): boolean {
  return MISSING.test(text.trim());
}

/** The number a cell writes, or undefined; `decimalComma` reads `3,5` as 3.5 (files delimited by `;`). */
export function parseNumber(text: string, decimalComma = false): number | undefined {
  const t = text.trim();
  const value = NUMBER.test(t) ? Number(t) : decimalComma && DECIMAL_COMMA.test(t) ? Number(t.replace(",", ".")) : undefined;
  return value !== undefined && Math.abs(value) <= FLOAT32_MAX ? value : undefined;
}

/** Whether a cell writes a number too large for 32-bit floats (±3.4e38), which no column may hold. */
export function isOutOfRange(text: string): boolean {
  const t = text.trim();
  return NUMBER.test(t) && !(Math.abs(Number(t)) <= FLOAT32_MAX);
}

/** A date as days since 1970-01-01 (UTC unless the cell names its offset), or undefined. */
export function parseDate(text: string): number | undefined {
  const m = DATE.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = "00", mi = "00", s = "00", zone] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${zone ? (zone === "Z" ? "Z" : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone) : "Z"}`;
  const ms = Date.parse(iso);
  // Date.parse rolls 2024-02-31 over to March; a date that does not exist is not a date.
  if (Number.isNaN(ms) || Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return undefined;
  if (!zone && new Date(ms).getUTCDate() !== Number(d)) return undefined;
  return ms / DAY_MS;
}
