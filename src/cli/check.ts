import { Command, Option } from "commander";
import { checkClaims } from "../check/check.js";
import { readClaims } from "../check/claims.js";
import { InputError } from "../problem/input-error.js";
import { readExample } from "../problem/examples.js";
import { parseProblemDocument, type ProblemDocument } from "../problem/parse.js";
import { renderCheckJson, renderCheckText } from "../render/check-report.js";
import { detectFormat, parseSource } from "../problem/source.js";
import { solve } from "../solve/solve.js";
import { EXIT } from "./exit-codes.js";
import { displayName, readText } from "./io.js";
import { decimalsOption } from "./options.js";
import { terminal, writeOutput } from "./output.js";

interface CheckFlags {
  example?: string;
  claims?: string;
  format: "text" | "json";
  decimals: number;
}

function readDocument(file: string | undefined, example: string | undefined): ProblemDocument & { file: string } {
  if ((file === undefined) === (example === undefined)) {
    throw new InputError("expected a problem FILE or --example NAME (exactly one)");
  }
  if (example !== undefined) return { ...parseProblemDocument(readExample(example).file, { file: `${example}.json` }), file: `${example}.json` };
  const name = displayName(file!);
  return { ...parseProblemDocument(readText(file!), { file: name }), file: name };
}

export const checkCommand = new Command("check")
  .description("check hand-worked values against the exact solution: which are wrong, the right value, and why")
  .argument("[FILE]", "problem file with a \"claims\" list (or use --claims); - reads standard input")
  .option("-e, --example <NAME>", "check the claims of a built-in exercise")
  .option("-c, --claims <FILE>", "claims from a separate file: a list of {\"path\" or \"name\", \"value\" or \"printed\"}")
  .addOption(new Option("-f, --format <FORMAT>", "output format").choices(["text", "json"]).default("text"))
  .addOption(decimalsOption())
  .addHelpText(
    "after",
    `
Exit codes: 0 every claim agrees, 1 a claim disagrees, 2 bad input or usage,
3 the exercise itself cannot be computed (NaN or infinity).

Examples:
  $ gradstep check --example seed-003-relu-1-2-2-1-two-steps
  $ gradstep check exercise.json --claims mine.json
    where mine.json is [{"name": "dE/dw7", "value": 0.0765}, {"path": "steps[0].loss", "printed": "0.2984"}]`,
  )
  .action((file: string | undefined, flags: CheckFlags) => {
    const { problem, document, file: name } = readDocument(file, flags.example);
    const claims = flags.claims === undefined ? readClaims(document, name) : readClaims(readClaimsFile(flags.claims), flags.claims);
    if (claims.length === 0) throw new InputError(`expected claims to check, found none (a "claims" list in the file, or --claims FILE)`, { file: flags.claims ?? name });
    const result = checkClaims(problem, solve(problem), claims, { file: flags.claims ?? name, decimals: flags.decimals });
    writeOutput(flags.format === "json" ? renderCheckJson(result) : renderCheckText(result, { decimals: flags.decimals, ...terminal(undefined) }), undefined);
    if (result.claims.some((c) => c.verdict === "disagrees")) process.exitCode = EXIT.wrongClaim;
  });

/** A claims file is JSON or YAML, like a problem file. */
function readClaimsFile(file: string): unknown {
  const text = readText(file, "a claims file (JSON or YAML)");
  try {
    return parseSource(text, detectFormat(text, file)).value;
  } catch (error) {
    throw error instanceof InputError ? error.in(file) : error;
  }
}
