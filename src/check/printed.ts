/** A number as a person wrote it: its value and how many decimals they kept. */
export interface Printed {
  readonly text: string;
  readonly value: number;
  /** Decimals after the point, less the exponent: "0.5000" → 4, "1.2e-3" → 4, "1200" → 0. */
  readonly decimals: number;
}

const NUMBER = /^\s*([+\-−]?)(\d*)(?:\.(\d*))?(?:[eE]([+\-−]?\d+))?\s*$/;

/** Reads a printed number; undefined when the text is not one. */
export function readPrinted(text: string): Printed | undefined {
  const match = NUMBER.exec(text);
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) return undefined;
  const ascii = text.trim().replace(/−/g, "-");
  const exponent = Number((match[4] ?? "0").replace("−", "-"));
  return { text, value: Number(ascii), decimals: (match[3] ?? "").length - exponent };
}

/** The format's rule: a hand value agrees when it is within one unit of its last printed digit. */
export function agrees(printed: Printed, solved: number): boolean {
  // Within one unit, not a hair's breadth over: 5.3 − 5.2 is 0.0999…96 in binary, and 5.2 disagrees with 5.3.
  return Math.abs(printed.value - solved) < 10 ** -printed.decimals * (1 - 1e-9);
}
