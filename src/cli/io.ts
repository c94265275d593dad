import { readText as readFile } from "../io/files.js";
import { parseProblem } from "../problem/parse.js";
import type { Problem } from "../problem/problem.js";

/** A file's text; an unreadable file is an input error like any other. */
export function readText(file: string, what = "a problem file (JSON or YAML)"): string {
  return readFile(file, what);
}

/** Reads and validates a problem file. */
export function readProblemFile(file: string): Problem {
  return parseProblem(readText(file), { file });
}
