import { printParseErrorCode, visit, type ParseErrorCode } from "jsonc-parser";
import { yaml } from "./yaml-module.js";
import type { JsonPath } from "../json-path.js";
import { LIMITS } from "../limits.js";
import { InputError, type SourcePosition } from "../input-error.js";
import type { MessageKey } from "../i18n/translate.js";

export type SourceFormat = "json" | "yaml";

/** A parsed document and a way back from a JSON path to the line and column it was written at. */
export interface ParsedSource {
  readonly value: unknown;
  readonly locate: (path: JsonPath) => SourcePosition | undefined;
}

function positionAt(text: string, offset: number): SourcePosition {
  let line = 1,
    lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The longest prefix of `path` that exists, so that a missing field points at its parent. */
function nearest<T>(path: JsonPath, find: (prefix: JsonPath) => T | undefined): T | undefined {
  for (let length = path.length; length >= 0; length--) {
    const found = find(path.slice(0, length));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** What the JSON reader expected, by its error code. */
const JSON_ERRORS: Readonly<Record<string, MessageKey>> = {
  InvalidSymbol: "json.invalidSymbol",
  InvalidNumberFormat: "json.invalidNumberFormat",
  PropertyNameExpected: "json.propertyNameExpected",
  ValueExpected: "json.valueExpected",
  ColonExpected: "json.colonExpected",
  CommaExpected: "json.commaExpected",
  CloseBraceExpected: "json.closeBraceExpected",
  CloseBracketExpected: "json.closeBracketExpected",
  EndOfFileExpected: "json.endOfFileExpected",
  InvalidCommentToken: "json.invalidCommentToken",
  UnexpectedEndOfComment: "json.unexpectedEndOfComment",
  UnexpectedEndOfString: "json.unexpectedEndOfString",
  UnexpectedEndOfNumber: "json.unexpectedEndOfNumber",
  InvalidUnicode: "json.invalidUnicode",
  InvalidEscapeCharacter: "json.invalidEscapeCharacter",
  InvalidCharacter: "json.invalidCharacter",
};

function samePrefix(path: readonly (string | number)[], target: JsonPath): boolean {
  return path.length <= target.length && path.every((segment, i) => segment === target[i]);
}

/**
 * Where a path of the document was written: the longest prefix of it that
 * exists, at its field's name when it is a field. Found by a second streaming
 * pass, so that no tree of the whole document is kept (a tree of a 10 MB file
 * took over a gigabyte).
 */
function locateJson(text: string, path: JsonPath): SourcePosition | undefined {
  let best: { length: number; offset: number } | undefined;
  const consider = (nodePath: readonly (string | number)[], offset: number) => {
    if ((best === undefined || nodePath.length > best.length) && samePrefix(nodePath, path)) best = { length: nodePath.length, offset };
  };
  visit(text, {
    onObjectProperty: (property, offset, _length, _line, _character, pathOf) => {
      consider([...pathOf(), property], offset);
    },
    onObjectBegin: (offset, _length, _line, _character, pathOf) => {
      consider(pathOf(), offset);
    },
    onArrayBegin: (offset, _length, _line, _character, pathOf) => {
      consider(pathOf(), offset);
    },
    onLiteralValue: (_value, offset, _length, _line, _character, pathOf) => {
      consider(pathOf(), offset);
    },
  });
  return best && positionAt(text, best.offset);
}

/**
 * The first place where arrays and objects are nested deeper than the limit,
 * found by a scan of brackets outside strings, before any parser recurses
 * into them (a recursive reader overflows its stack on thousands of levels).
 * For YAML it sees flow collections (`[[[…]]]`); block nesting costs a line
 * of indentation per level and is checked on the parsed value.
 */
function tooDeep(text: string, format: SourceFormat): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || (format === "yaml" && c === "'" && /[\s[{,:]/.test(text[i - 1] ?? " "))) {
      quote = c;
    } else if (c === "[" || c === "{") {
      if (++depth > LIMITS.nesting) return i;
    } else if (c === "]" || c === "}") {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** Depth of a parsed value, without recursion. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== "object" || item === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > LIMITS.nesting) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Arrays and objects nested past `LIMITS.nesting`. */
function tooDeepError(position?: SourcePosition): InputError {
  return InputError.said((t) => t.text("error.tooDeep", { limit: LIMITS.nesting }), { position });
}

function parseJson(text: string): ParsedSource {
  let error: { code: ParseErrorCode; offset: number; length: number } | undefined;
  let duplicate: { name: string; offset: number } | undefined;
  const keys: Set<string>[] = [];
  visit(
    text,
    {
      onError: (code, offset, length) => void (error ??= { code, offset, length }),
      onObjectBegin: () => void keys.push(new Set()),
      onObjectEnd: () => void keys.pop(),
      onObjectProperty: (property, offset) => {
        const seen = keys.at(-1);
        if (seen?.has(property)) duplicate ??= { name: property, offset };
        seen?.add(property);
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  if (error) {
    const code = printParseErrorCode(error.code);
    const key = JSON_ERRORS[code];
    const snippet = error.offset >= text.length ? undefined : JSON.stringify(text.slice(error.offset, error.offset + Math.max(1, Math.min(error.length, 20))));
    throw InputError.said(
      (t) =>
        t.text("error.invalidJson", {
          expected: key === undefined ? code : t.text(key, { brace: "'}'", bracket: "']'" }),
          found: snippet ?? t.text("json.endOfFile"),
        }),
      { position: positionAt(text, error.offset) },
    );
  }
  if (duplicate) {
    const field = duplicate.name;
    throw InputError.said((t) => t.text("error.duplicateField", { field }), { position: positionAt(text, duplicate.offset) });
  }
  return {
    // JSON.parse is the reference reader of numbers; the visitor above is only for errors and positions.
    value: JSON.parse(text) as unknown,
    locate: (path) => locateJson(text, path),
  };
}

function parseYaml(text: string): ParsedSource {
  const { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = document.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    // The reader reports its own stack overflow as an error of the document.
    if (/call stack/i.test(first.message)) throw tooDeepError();
    const message = first.message.split("\n")[0]!;
    throw InputError.said((t) => t.text("error.invalidYaml", { error: message }), { position: { line, column: col } });
  }
  // The node a path names; for a map entry, its key, so that a message points at the field's name.
  const nodeAt = (path: JsonPath): unknown => {
    let node: unknown = document.contents;
    let named: unknown = node;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === segment);
        if (!pair) return undefined;
        named = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
        node = named = node.items[segment];
      } else {
        return undefined;
      }
    }
    return named ?? undefined;
  };
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: LIMITS.yamlAliases });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw InputError.said((t) => t.text("error.yamlAliases", { limit: LIMITS.yamlAliases }));
    }
    throw error;
  }
  return {
    value,
    locate: (path) => {
      const node = nearest(path, nodeAt);
      const offset = isNode(node) ? node.range?.[0] : undefined;
      if (offset === undefined) return undefined;
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    },
  };
}

/** JSON for `.json`, YAML for `.yaml`/`.yml`, otherwise whichever the text starts like. */
export function detectFormat(text: string, file?: string): SourceFormat {
  if (file && /\.json$/i.test(file)) return "json";
  if (file && /\.ya?ml$/i.test(file)) return "yaml";
  return /^\uFEFF?\s*[[{]/.test(text) ? "json" : "yaml";
}

/**
 * Parses JSON or YAML text, with a UTF-8 byte order mark or without; nesting
 * past `LIMITS.nesting` and YAML alias bombs are input errors, like any
 * malformed file.
 */
export function parseSource(source: string, format: SourceFormat): ParsedSource {
  const text = source.startsWith("\uFEFF") ? source.slice(1) : source;
  if (format === "yaml" && text.length > LIMITS.yamlBytes) {
    const size = text.length / 2 ** 20;
    throw InputError.said((t) =>
      t.text("error.yamlTooLarge", {
        limit: String(LIMITS.yamlBytes / 2 ** 20),
        // One decimal, with the reader's decimal sign: 1.5 MiB, 1,5 MiB.
        size: t.lang === "en" ? size.toFixed(1) : size.toLocaleString(t.lang, { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false }),
        jsonLimit: String(LIMITS.textBytes / 2 ** 20),
      }),
    );
  }
  const deep = tooDeep(text, format);
  if (deep !== undefined) throw tooDeepError(positionAt(text, deep));
  let parsed: ParsedSource;
  try {
    parsed = format === "json" ? parseJson(text) : parseYaml(text);
  } catch (error) {
    // A parser's own recursion, past what the scan above sees (YAML block nesting).
    if (error instanceof RangeError) throw tooDeepError();
    throw error;
  }
  if (depthOf(parsed.value) > LIMITS.nesting) throw tooDeepError();
  return parsed;
}
