import type { JsonPath } from "../json-path.js";
import { InputError, type SourcePosition } from "../input-error.js";
import type { Problem } from "./problem.js";
import { detectFormat, parseSource, type SourceFormat } from "./source.js";
import { validateProblem } from "./validate.js";

export interface ParseOptions {
  /** Named in error messages. */
  readonly file?: string;
  /** Defaults to the file's extension, else to what the text looks like. */
  readonly format?: SourceFormat;
}

/**
 * Reads a problem from JSON or YAML text, or from an already parsed object,
 * and validates it. Throws an InputError naming the file, the line and column
 * and the JSON path of the first thing wrong.
 *
 * @example
 * const problem = parseProblem(readFileSync("xor.yaml", "utf8"), { file: "xor.yaml" });
 */
export function parseProblem(source: string | object, options: ParseOptions = {}): Problem {
  return parseProblemDocument(source, options).problem;
}

/** A problem with the document it was read from, for readers of the keys solvers ignore (`claims`). */
export interface ProblemDocument {
  readonly problem: Problem;
  readonly document: unknown;
  readonly locate: (path: JsonPath) => SourcePosition | undefined;
}

export function parseProblemDocument(source: string | object, options: ParseOptions = {}): ProblemDocument {
  let locate: (path: JsonPath) => SourcePosition | undefined = () => undefined;
  try {
    let document: unknown = source;
    if (typeof source === "string") {
      const parsed = parseSource(source, options.format ?? detectFormat(source, options.file));
      document = parsed.value;
      locate = parsed.locate;
    }
    return { problem: validateProblem(document), document, locate };
  } catch (error) {
    throw error instanceof InputError ? error.in(options.file, locate) : error;
  }
}
