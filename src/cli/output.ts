import { writeFileSafely } from "../io/files.js";
import { InputError } from "../problem/input-error.js";

/**
 * Writes the whole output at once: to stdout (no file, or `-`), or to a file
 * through a temporary file and a rename, so that an error never leaves half a
 * document behind. A file this command read, or an existing non-empty file,
 * is not replaced without `force` (io/files.ts: writeFileSafely).
 */
export function writeOutput(content: string | Uint8Array, file: string | undefined, binary = false, options: { force?: boolean | undefined } = {}): void {
  if (file === undefined || file === "-") {
    if (binary && process.stdout.isTTY) {
      throw new InputError("expected --output FILE for a binary format, found a terminal as standard output");
    }
    const text = typeof content === "string" && !content.endsWith("\n") ? `${content}\n` : content;
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSafely(file, content, options);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot write the output: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { file });
  }
}

/** Colour and width for a terminal; plain text for pipes and files, and wherever NO_COLOR is set. */
export function terminal(file: string | undefined): { color: boolean; width: number } {
  const tty = file === undefined && process.stdout.isTTY;
  return { color: tty && !process.env.NO_COLOR, width: tty ? Math.max(60, process.stdout.columns) : 100 };
}
