/**
 * East Asian wide and fullwidth characters (Unicode UAX #11): Han, kana,
 * Hangul, CJK punctuation and fullwidth forms take two columns in a terminal.
 */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

/** Whether a character takes two columns in a terminal. */
export function isWide(c: string): boolean {
  return WIDE.test(c);
}

/** Columns a string takes in a terminal: combining accents (the hat of Â) take none, CJK characters two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const c of text) if (!/\p{M}/u.test(c)) width += isWide(c) ? 2 : 1;
  return width;
}

/** Text padded with spaces after it to `width` terminal columns. */
export function padEnd(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

/** Text padded with spaces before it to `width` terminal columns. */
export function padStart(text: string, width: number): string {
  return " ".repeat(Math.max(0, width - displayWidth(text))) + text;
}
