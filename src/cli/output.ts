import { writeFileSafely } from "../io/files.js";
import { InputError } from "../input-error.js";

/**
 * Writes the whole output at once: to stdout (no file, or `-`), or to a file
 * through a temporary file and a rename, so that an error never leaves half a
 * document behind. A file this command read, or an existing non-empty file,
 * is not replaced without `force` (io/files.ts: writeFileSafely).
 */
export function writeOutput(content: string | Uint8Array, file: string | undefined, binary = false, options: { force?: boolean | undefined } = {}): void {
  if (file === undefined || file === "-") {
    if (binary && process.stdout.isTTY) {
      throw InputError.said((t) => t.text("error.binaryToTerminal"));
    }
    const text = typeof content === "string" && !content.endsWith("\n") ? `${content}\n` : content;
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSafely(file, content, options);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw InputError.said((t) => t.text("error.cannotWriteOutput", { code }), { file });
  }
}

let colorDisabled = false;

/** `--no-color`: no colour whatever the environment says. */
export function disableColor(): void {
  colorDisabled = true;
}

/**
 * Colour as the common conventions ask: never with --no-color or a non-empty
 * NO_COLOR (no-color.org); always with FORCE_COLOR set to anything but 0 or
 * false; never on a dumb terminal; otherwise only on a terminal.
 */
export function colorWanted(tty: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (colorDisabled || (env.NO_COLOR ?? "") !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  if (env.TERM === "dumb") return false;
  return tty;
}

/** Colour and width for a terminal; plain text 100 columns wide for pipes and files (colour only where forced). */
export function terminal(file: string | undefined): { color: boolean; width: number } {
  const toStdout = file === undefined || file === "-";
  // Node types isTTY as boolean, but a pipe leaves it undefined.
  const tty = toStdout && (process.stdout.isTTY as boolean | undefined) === true;
  return { color: toStdout && colorWanted(tty), width: tty ? Math.max(60, process.stdout.columns) : 100 };
}
