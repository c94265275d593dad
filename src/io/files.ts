import {
  chmodSync,
  closeSync,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { LIMITS } from "../limits.js";
import { InputError, type InputErrorPlace } from "../input-error.js";
import { say, type Say } from "../i18n/translate.js";

/**
 * Reading and writing the user's files, so that no input hangs or exhausts
 * memory and no write destroys a file the user did not ask to replace:
 * - every read stops at a stated size (a device or pipe is read only that far);
 * - a write goes through a temporary file and a rename, keeping a symlink's
 *   target and the file's mode, or straight into a device or FIFO;
 * - nothing is written over a file this process has read;
 * - an existing non-empty file is replaced only with `force`, or when this
 *   process wrote or claimed it (see `claimOutput`).
 */

const MiB = 1024 * 1024;

/** The largest problem, claims or other text file read. */
export const MAX_TEXT_BYTES = LIMITS.textBytes;
/** The largest model or weights file read. */
export const MAX_MODEL_BYTES = LIMITS.modelBytes;
/** The largest data file read (a CSV file or an IDX file, compressed or not). */
export const MAX_DATA_BYTES = LIMITS.dataBytes;

function unreadable(error: unknown): Say {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT"
    ? say("modelError.file.missing")
    : code === "EISDIR"
      ? say("modelError.file.directory")
      : say("modelError.file.unreadable", { code: code ?? String(error) });
}

function size(bytes: number): Say {
  return bytes >= MiB ? say("modelError.size.mebibytes", { count: String(Math.round(bytes / MiB)) }) : say("modelError.size.bytes", { count: bytes });
}

/** The error `detail` says, in any language. */
function fileError(detail: Say, place: InputErrorPlace): InputError {
  return InputError.said(detail, place);
}

/** Identity of a file however it is named (links, `./`, symlinks): device and inode. */
function identity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

/** Files this process has read, which it must never write over. */
const readFiles = new Set<string>();
/** Paths this process has written or claimed, which it may write again. */
const ownOutputs = new Set<string>();
/** Paths claimed as read and then written again by design (a resumed checkpoint). */
const ownInputs = new Set<string>();

/** Reads an open descriptor to its end, or fails past `limit` bytes; a device or pipe is read in chunks. */
function readDescriptor(fd: number, limit: number, tooLarge: () => never): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(MiB, limit + 1 - total));
    const count = readSync(fd, chunk, 0, chunk.length, null);
    if (count === 0) break;
    chunks.push(chunk.subarray(0, count));
    total += count;
    if (total > limit) tooLarge();
  }
  return Buffer.concat(chunks, total);
}

/**
 * A file's bytes, at most `limit` of them; an unreadable, missing or larger
 * file is an input error that says what was expected there.
 */
export function readBytes(file: string, what: Say, limit = MAX_MODEL_BYTES): Uint8Array {
  const tooLarge = (): never => {
    throw fileError(say("modelError.file.tooLarge", { what, size: size(limit) }), { file });
  };
  const found = (problem: Say) => fileError(say("modelError.file.found", { what, found: problem }), { file });
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    throw found(unreadable(error));
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw found(say("modelError.file.directory"));
    if (stats.isFile() && stats.size > limit) tooLarge();
    readFiles.add(identity(stats));
    return readDescriptor(fd, limit, tooLarge);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw found(unreadable(error));
  } finally {
    closeSync(fd);
  }
}

const UTF16 = [
  [0xff, 0xfe],
  [0xfe, 0xff],
] as const;

/**
 * Bytes as UTF-8 text, without a leading byte order mark; UTF-16 and binary
 * files (a NUL byte, or bytes that are not UTF-8) are named as such.
 */
export function decodeText(bytes: Uint8Array, what: Say, file?: string): string {
  if (UTF16.some(([a, b]) => bytes[0] === a && bytes[1] === b)) {
    throw fileError(say("modelError.text.utf16", { what }), { file });
  }
  const probe = bytes.subarray(0, 4096);
  if (probe.includes(0)) throw fileError(say("modelError.text.binary", { what }), { file });
  try {
    // A UTF-8 byte order mark is dropped, as YAML readers do.
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw fileError(say("modelError.text.notUtf8", { what }), { file });
  }
}

/** Standard input's bytes, at most `limit` of them. */
export function readStandardInput(what: Say, limit = MAX_TEXT_BYTES): Uint8Array {
  return readDescriptor(0, limit, () => {
    throw fileError(say("modelError.stdin.tooLarge", { what, size: size(limit) }), { file: "<stdin>" });
  });
}

/** A file's text, as `readBytes` and `decodeText`. */
export function readText(file: string, what: Say, limit = MAX_TEXT_BYTES): string {
  return decodeText(readBytes(file, what, limit), what, file);
}

/**
 * The path of a file a model names (`name`, relative to the model file's
 * folder), refused unless it stays in that folder: no absolute path, no `..`
 * out of it, no symlink leading out, and a regular file.
 */
export function fileBeside(modelFile: string, name: string, what: Say): string {
  const folder = dirname(modelFile);
  const refuse = (why: Say): never => {
    // The name is the model's own text; nothing of the named file is shown.
    throw fileError(say("modelError.beside.refused", { what, name: JSON.stringify(name.slice(0, 200)), why }), { file: modelFile });
  };
  if (name.includes("\0")) refuse(say("modelError.beside.nul"));
  if (isAbsolute(name) || /^[A-Za-z]:/.test(name)) refuse(say("modelError.beside.absolute"));
  const path = join(folder, name);
  const inside = (root: string, target: string) => {
    const rel = relative(root, target);
    return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  };
  if (!inside(resolve(folder), resolve(path))) refuse(say("modelError.beside.leadsOut"));
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    throw fileError(say("modelError.beside.unreadable", { what, name, model: basename(modelFile), found: unreadable(error) }), { file: path });
  }
  if (!inside(realpathSync(folder), real)) refuse(say("modelError.beside.link"));
  if (!statSync(real).isFile()) refuse(say("modelError.beside.notFile"));
  return path;
}

/** The file a write reaches: a symlink's target (followed to its end), else the path itself. */
function writeTarget(file: string): string {
  try {
    if (!lstatSync(file).isSymbolicLink()) return file;
  } catch {
    return file; // A missing file: written as named.
  }
  try {
    return realpathSync(file);
  } catch {
    // A dangling link: its target is created, and the link kept.
    return resolve(dirname(file), readlinkSync(file));
  }
}

function existing(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

export interface WriteOptions {
  /** Replace an existing non-empty file this process did not write. */
  readonly force?: boolean | undefined;
  /** What the file is, for messages: "the output", "the checkpoint" (English, or a phrase in any language). */
  readonly what?: Say | undefined;
  /** What to pass to replace it, for messages (default "--force to replace it"). */
  readonly forceFlag?: Say | undefined;
  /** The file is read and then written again by design (a checkpoint a run resumes from). */
  readonly replacesInput?: boolean | undefined;
}

/**
 * Refuses a write that would destroy something: a file this process read
 * (an input), a directory, or an existing non-empty file it did not write,
 * unless `force`. Devices, FIFOs and empty files may always be written.
 */
export function checkWritable(file: string, options: WriteOptions = {}): void {
  const what = outputWhat(options);
  const stats = existing(file);
  if (!stats) return;
  const rewritable = options.replacesInput || ownInputs.has(resolve(writeTarget(file)));
  if (!rewritable && readFiles.has(identity(stats))) throw fileError(say("modelError.write.overInput", { what }), { file });
  if (stats.isDirectory()) throw fileError(say("modelError.write.directory", { what }), { file });
  if (!stats.isFile() || stats.size === 0 || options.force || ownOutputs.has(resolve(writeTarget(file)))) return;
  const pass = options.forceFlag === undefined ? say("modelError.write.passForce") : options.forceFlag;
  throw fileError(say("modelError.write.exists", { what, pass }), { file });
}

/** What a write is of, for messages: "the output" unless the caller says. */
function outputWhat(options: WriteOptions): Say {
  return options.what === undefined ? say("modelError.write.theOutput") : options.what;
}

/**
 * Checks `file` as `checkWritable` does and, when it may be written, marks it
 * as this process's own output, so that later writes in the run replace it
 * without asking. Commands claim every output before long work starts.
 */
export function claimOutput(file: string, options: WriteOptions = {}): void {
  checkWritable(file, options);
  ownOutputs.add(resolve(writeTarget(file)));
  if (options.replacesInput) ownInputs.add(resolve(writeTarget(file)));
}

const TEMPORARY = /^\.(.+)\.(\d+)\.tmp$/;

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes `.NAME.PID.tmp` files of ours left by a process that no longer runs (killed during a write). */
function removeStaleTemporaries(folder: string, name: string): void {
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = TEMPORARY.exec(entry);
    if (!match || match[1] !== name) continue;
    const pid = Number(match[2]);
    if (pid !== process.pid && !running(pid)) rmSync(join(folder, entry), { force: true });
  }
}

/**
 * Writes `file` safely (see `checkWritable`): a regular file through a
 * temporary file and a rename, so that a failure never leaves half a file,
 * keeping its mode and, for a symlink, writing its target; a device or FIFO
 * (/dev/null, a pipe) directly, never replaced.
 */
export function writeFileSafely(file: string, content: string | Uint8Array, options: WriteOptions = {}): void {
  checkWritable(file, options);
  const target = writeTarget(file);
  const stats = existing(target);
  const failed = (error: unknown): never => {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw fileError(say("modelError.write.failed", { what: outputWhat(options), code }), { file });
  };
  if (stats && !stats.isFile()) {
    try {
      writeFileSync(target, content);
    } catch (error) {
      failed(error);
    }
    return;
  }
  const folder = dirname(target),
    name = basename(target);
  removeStaleTemporaries(folder, name);
  const temporary = join(folder, `.${name}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, content, { mode: 0o666 });
    if (stats) chmodSync(temporary, stats.mode & 0o7777);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    failed(error);
  }
  ownOutputs.add(resolve(target));
}

/** `writeFileSafely` for files of this process's own making (checkpoints, models it claimed). */
export function writeAtomically(file: string, content: string | Uint8Array): void {
  writeFileSafely(file, content);
}
