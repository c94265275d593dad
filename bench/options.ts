import { SYSTEMS, WORKLOADS, type System, type Workload } from "./config.js";

export interface Options {
  readonly quick: boolean;
  readonly json: boolean;
  readonly workloads: readonly Workload[];
  readonly systems: readonly System[];
  /** Timed runs per measurement (median reported); undefined: 3, or 1 with --quick. */
  readonly repeat: number | undefined;
  /** Seconds a peer's run may take before it is reported as skipped; undefined: 300, or 3 with --quick. */
  readonly budget: number | undefined;
  readonly help: boolean;
}

export const USAGE = `usage: npm run bench -- [options]

  --quick               tiny sizes (about a second per workload) to check that everything runs
  --json                one JSON object per line on standard output instead of tables
                        (use npm run -s bench -- --json to keep npm's own lines out)
  --workloads W1,W2,W3  which workloads (default: all)
  --systems LIST        which systems, of ${SYSTEMS.join(", ")} (default: all)
  --repeat N            timed runs per measurement, median reported (default 3; 1 with --quick)
  --budget SECONDS      a peer's run projected to take longer is stopped and reported as skipped
                        (default 300; 3 with --quick)
  --help                this text`;

export class UsageError extends Error {
  override readonly name = "UsageError";
}

function list<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  const unknown = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (items.length === 0 || unknown.length > 0) {
    throw new UsageError(`${flag}: expected a comma-separated list of ${allowed.join(", ")}, found ${JSON.stringify(value)}`);
  }
  // In the canonical order, each once.
  return allowed.filter((item) => items.includes(item));
}

function positive(flag: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag}: expected ${integer ? "a whole number ≥ 1" : "a number > 0"}, found ${JSON.stringify(value)}`);
  }
  return n;
}

/** Parses the command line (`--flag value` or `--flag=value`). */
export function parseOptions(argv: readonly string[]): Options {
  let quick = false,
    json = false,
    help = false;
  let workloads: readonly Workload[] = WORKLOADS,
    systems: readonly System[] = SYSTEMS;
  let repeat: number | undefined, budget: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag}: expected a value after it`);
      return v;
    };
    switch (flag) {
      case "--quick":
        quick = true;
        break;
      case "--json":
        json = true;
        break;
      case "--help":
      case "-h":
        help = true;
        break;
      case "--workloads":
        workloads = list(flag, value(), WORKLOADS);
        break;
      case "--systems":
        systems = list(flag, value(), SYSTEMS);
        break;
      case "--repeat":
        repeat = positive(flag, value(), true);
        break;
      case "--budget":
        budget = positive(flag, value(), false);
        break;
      default:
        throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
    }
  }
  return { quick, json, workloads, systems, repeat, budget, help };
}
