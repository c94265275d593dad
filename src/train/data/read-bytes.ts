import { readFileSync } from "node:fs";
import { InputError } from "../../problem/input-error.js";

/** A file's bytes; an unreadable file is an input error that says what was expected there. */
export function readBytes(file: string, what: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory, not a file" : `a file that cannot be read (${code ?? String(error)})`;
    throw new InputError(`expected ${what}, found ${reason}`, { file });
  }
}
