import { InvalidArgumentError, Option } from "commander";

/** --decimals N: how many decimal places numbers are shown with. */
export function decimalsOption(): Option {
  return new Option("-d, --decimals <N>", "decimal places shown (the trace keeps full precision)")
    .default(4)
    .argParser((value: string) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 17) throw new InvalidArgumentError("expected a whole number from 0 to 17.");
      return n;
    });
}
