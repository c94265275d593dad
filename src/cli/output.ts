import { writeAtomically } from "../io/files.js";
import { InputError } from "../problem/input-error.js";

/**
 * Writes the whole output at once: to stdout, or to a file through a temporary
 * file and a rename, so that an error never leaves half a document behind.
 */
export function writeOutput(content: string | Uint8Array, file: string | undefined, binary = false): void {
  if (file === undefined) {
    if (binary && process.stdout.isTTY) {
      throw new InputError("expected --output FILE for a binary format, found a terminal as standard output");
    }
    const text = typeof content === "string" && !content.endsWith("\n") ? `${content}\n` : content;
    process.stdout.write(text);
    return;
  }
  try {
    writeAtomically(file, content);
  } catch (error) {
    throw new InputError(`cannot write the output: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { file });
  }
}

/** Colour and width for a terminal; plain text for pipes and files, and wherever NO_COLOR is set. */
export function terminal(file: string | undefined): { color: boolean; width: number } {
  const tty = file === undefined && process.stdout.isTTY;
  return { color: tty && !process.env.NO_COLOR, width: tty ? Math.max(60, process.stdout.columns) : 100 };
}
