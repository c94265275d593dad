/** What one cell of a table holds: reading numbers, dates and missing values the way spreadsheets write them. */

/** Cells that mean "no value": empty, NA, N/A, NaN, null, ?. */
const MISSING = /^(?:|na|n\/a|nan|null|\?)$/i;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
/** A number as spreadsheets format it: `$1,234.50`, `12 %`, `350,000 €` (thousands grouped by commas). */
const DECORATED = /^([+-]?)[$€£¥]?\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?[$€£¥%]?$/;
/** The same in a file of decimal commas: `12,5 %`, `€ 3,20`. */
const DECORATED_COMMA = /^([+-]?)[$€£¥]?\s?(\d+)(,\d+)?\s?[$€£¥%]?$/;
/** ISO 8601 dates with an optional time (`2024-03-15`, `2024-03-15T10:30`, `2024-03-15 10:30:00Z`), or `2024/03/15`. */
const DATE = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** ISO 8601's basic form: `20141013T000000`. */
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/;
/** Day and month before the year: `3/15/2024`, `15.03.2024`, `15-03-2024 10:30`; which comes first is the column's order. */
const LOCAL_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/** How a column writes its dates: year first (ISO), month/day/year, or day/month/year. */
export type DateOrder = "ymd" | "mdy" | "dmy";
export const DATE_ORDERS: readonly DateOrder[] = ["ymd", "mdy", "dmy"];
const DAY_MS = 86_400_000;
const FLOAT32_MAX = 3.4028234663852886e38;

export function isMissing(text: string): boolean {
  return MISSING.test(text.trim());
}

/** The number a cell writes, or undefined; `decimalComma` reads `3,5` as 3.5 (files delimited by `;`). */
export function parseNumber(text: string, decimalComma = false): number | undefined {
  const t = text.trim();
  const value = NUMBER.test(t) ? Number(t) : decimalComma && DECIMAL_COMMA.test(t) ? Number(t.replace(",", ".")) : decorated(t, decimalComma);
  return value !== undefined && Math.abs(value) <= FLOAT32_MAX ? value : undefined;
}

/** A number with a currency sign, a percent sign or thousands separators, as written (`12 %` is 12). */
function decorated(text: string, decimalComma: boolean): number | undefined {
  const m = (decimalComma ? DECORATED_COMMA : DECORATED).exec(text);
  if (!m) return undefined;
  const [, sign = "", whole = "", fraction = ""] = m;
  return Number(`${sign}${whole.replaceAll(",", "")}${fraction.replace(",", ".")}`);
}

/** Whether a cell writes a number too large for 32-bit floats (±3.4e38), which no column may hold. */
export function isOutOfRange(text: string): boolean {
  const t = text.trim();
  return NUMBER.test(t) && !(Math.abs(Number(t)) <= FLOAT32_MAX);
}

/** A date as days since 1970-01-01 (UTC unless the cell names its offset), or undefined; `order` says where the year is. */
export function parseDate(text: string, order: DateOrder = "ymd"): number | undefined {
  const t = text.trim();
  if (order !== "ymd") {
    const m = LOCAL_DATE.exec(t);
    if (!m) return undefined;
    const [, first = "", second = "", y = "", h = "00", mi = "00", s = "00"] = m;
    const [mo, d] = order === "mdy" ? [first, second] : [second, first];
    return isoDays(y, mo.padStart(2, "0"), d.padStart(2, "0"), h.padStart(2, "0"), mi, s, undefined);
  }
  const m = DATE.exec(t) ?? COMPACT_DATE.exec(t);
  if (!m) return undefined;
  const [, y = "", mo = "", d = "", h = "00", mi = "00", s = "00", zone] = m;
  return isoDays(y, mo, d, h, mi, s, zone);
}

function isoDays(y: string, mo: string, d: string, h: string, mi: string, s: string, zone: string | undefined): number | undefined {
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${zone ? (zone === "Z" ? "Z" : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone) : "Z"}`;
  const ms = Date.parse(iso);
  // Date.parse rolls 2024-02-31 over to March; a date that does not exist is not a date.
  if (Number.isNaN(ms) || Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return undefined;
  if (!zone && new Date(ms).getUTCDate() !== Number(d)) return undefined;
  return ms / DAY_MS;
}
