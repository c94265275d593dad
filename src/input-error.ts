import { formatPath, type JsonPath } from "./json-path.js";
import { english, type Translator, type Say } from "./i18n/translate.js";

export interface SourcePosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export interface InputErrorPlace {
  readonly file?: string | undefined;
  readonly path?: JsonPath | undefined;
  readonly position?: SourcePosition | undefined;
  /**
   * The option of a library call the error is about (`testFraction`): the
   * library names it so, and the CLI names it as its flag (`--test-fraction`).
   */
  readonly option?: string | undefined;
}

/**
 * Input that cannot be used, described for the person who wrote it:
 * `FILE:LINE:COLUMN: PATH: what was expected, what was found`.
 * The CLI prints the message alone and exits with code 2.
 */
export class InputError extends Error {
  override readonly name = "InputError";
  readonly file: string | undefined;
  readonly path: JsonPath | undefined;
  readonly position: SourcePosition | undefined;
  readonly option: string | undefined;

  constructor(
    readonly detail: string,
    place: InputErrorPlace = {},
    /** The detail in any language, where the message is in the catalogue. */
    readonly say?: Say,
  ) {
    super(formatInputError(detail, place));
    this.file = place.file;
    this.path = place.path;
    this.position = place.position;
    this.option = place.option;
  }

  /** The same error with its option named as a command-line flag: camelCase → --kebab-case. */
  withFlagName(): InputError {
    if (this.option === undefined) return this;
    const flag = `--${this.option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    return new InputError(this.detail, { file: this.file, path: this.path, position: this.position, option: flag }, this.say);
  }

  /** An error whose detail is a catalogue message: English in `message`, any language from `localized`. */
  static said(say: Say, place: InputErrorPlace = {}): InputError {
    return new InputError(say(english), place, say);
  }

  /** The same error, placed in a file. */
  in(file: string | undefined, locate?: (path: JsonPath) => SourcePosition | undefined): InputError {
    const position = this.position ?? (this.path && locate ? locate(this.path) : undefined);
    return new InputError(this.detail, { file, path: this.path, position, option: this.option }, this.say);
  }

  /** The message in a reader's language: the place (file, line, column, path, option) exactly as in `message`, the detail translated where it can be. */
  localized(t: Translator): string {
    return this.say ? formatInputError(this.say(t), { file: this.file, path: this.path, position: this.position, option: this.option }) : this.message;
  }
}

function formatInputError(detail: string, { file, path, position, option }: InputErrorPlace): string {
  const where = [file, position && `${position.line}:${position.column}`].filter(Boolean).join(":");
  const at = path && path.length > 0 ? formatPath(path) : "";
  // One line, always: a detail quoting a file's text or a parser's message must not break the `gradstep: …` line.
  return [where, option, at, detail]
    .filter(Boolean)
    .join(": ")
    .replace(/\s*[\r\n]+\s*/g, " ");
}

/** A value as a person would name it in "found …", in the reader's language. */
export function describeValue(value: unknown, t: Translator = english): string {
  if (value === undefined) return t.text("value.nothing");
  if (value === null) return "null";
  if (typeof value === "string") return t.text("value.text", { text: JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value) });
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.length === 0 ? t.text("value.emptyArray") : t.text("value.array", { count: value.length });
  if (typeof value === "object") return t.text("value.object");
  return typeof value;
}
