import { decodeText, readStandardInput, readText as readFile } from "../io/files.js";
import { InputError } from "../input-error.js";
import { parseProblem } from "../problem/parse.js";
import type { Problem } from "../problem/problem.js";
import { said, type Said } from "../i18n/translate.js";

/** The name `-` stands for standard input, as in most command-line tools. */
export const STDIN = "-";

/** How errors name standard input, in place of a file name. */
export const STDIN_NAME = "<stdin>";

/** What a command reads, named in its errors. */
export const READING = {
  problemFile: said((t) => t.text("what.problemFile")),
  claimsFile: said((t) => t.text("what.claimsFile")),
  notationBlock: said((t) => t.text("what.notationBlock")),
  worksheet: said((t) => t.text("what.worksheet")),
} as const;

/** A file's text, or standard input's for `-`; an unreadable file is an input error like any other. */
export function readText(file: string, what: Said = READING.problemFile): string {
  if (file !== STDIN) return readFile(file, what.say);
  try {
    // Read up to the same limit as a file: `gradstep solve - < /dev/zero` ends with an input error.
    return decodeText(readStandardInput(what.say), what.say, STDIN_NAME);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw InputError.said((t) => t.text("error.noStdin", { what: what.say(t), code }), { file: STDIN_NAME });
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
