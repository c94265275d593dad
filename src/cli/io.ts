import { decodeText, readStandardInput, readText as readFile } from "../io/files.js";
import { InputError } from "../input-error.js";
import { parseProblem } from "../problem/parse.js";
import type { Problem } from "../problem/problem.js";

/** The name `-` stands for standard input, as in most command-line tools. */
export const STDIN = "-";

/** How errors name standard input, in place of a file name. */
export const STDIN_NAME = "<stdin>";

/** A file's text, or standard input's for `-`; an unreadable file is an input error like any other. */
export function readText(file: string, what = "a problem file (JSON or YAML)"): string {
  if (file !== STDIN) return readFile(file, what);
  try {
    // Read up to the same limit as a file: `gradstep solve - < /dev/zero` ends with an input error.
    return decodeText(readStandardInput(what), what, STDIN_NAME);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`expected ${what} on standard input, found none that can be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
      file: STDIN_NAME,
    });
  }
}

/** The name errors give a file: `<stdin>` for `-`. */
export function displayName(file: string): string {
  return file === STDIN ? STDIN_NAME : file;
}

/** Reads and validates a problem file (`-`: standard input). */
export function readProblemFile(file: string): Problem {
  return parseProblem(readText(file), { file: displayName(file) });
}
