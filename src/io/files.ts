import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "../problem/input-error.js";

function unreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory, not a file" : `a file that cannot be read (${code ?? String(error)})`;
}

/** A file's bytes; an unreadable file is an input error that says what was expected there. */
export function readBytes(file: string, what: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new InputError(`expected ${what}, found ${unreadable(error)}`, { file });
  }
}

/** A file's text, as `readBytes`. */
export function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`expected ${what}, found ${unreadable(error)}`, { file });
  }
}

/** Writes `file` through a temporary file and a rename, so that a failure never leaves half a file. */
export function writeAtomically(file: string, content: string | Uint8Array): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
