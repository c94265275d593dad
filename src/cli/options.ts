import { Option } from "commander";
import { argumentError } from "./usage-errors.js";

/** --decimals N: how many decimal places numbers are shown with. */
export function decimalsOption(): Option {
  return new Option("-d, --decimals <N>", "decimal places shown (the trace keeps full precision)").default(4).argParser((value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 17) throw argumentError("usage.wholeNumberRange", { min: 0, max: 17 });
    return n;
  });
}

/** -f/--format: `text` for people, `json` for scripts, and whatever else the command writes. */
export function formatOption(choices: readonly string[], description = "output format"): Option {
  return new Option("-f, --format <FORMAT>", description).choices(choices).default("text");
}

/** --json: the older spelling of --format json, kept so that existing scripts keep working. */
export function jsonAlias(): Option {
  return new Option("--json", "same as --format json").implies({ format: "json" });
}
