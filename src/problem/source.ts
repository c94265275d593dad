import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { JsonPath } from "../json-path.js";
import { InputError, type SourcePosition } from "./input-error.js";

export type SourceFormat = "json" | "yaml";

/** A parsed document and a way back from a JSON path to the line and column it was written at. */
export interface ParsedSource {
  readonly value: unknown;
  readonly locate: (path: JsonPath) => SourcePosition | undefined;
}

function positionAt(text: string, offset: number): SourcePosition {
  let line = 1, lineStart = 0;
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

const JSON_ERRORS: Readonly<Record<string, string>> = {
  InvalidSymbol: "an unexpected character",
  InvalidNumberFormat: "a malformed number",
  PropertyNameExpected: "a field name in double quotes",
  ValueExpected: "a value",
  ColonExpected: "a colon",
  CommaExpected: "a comma",
  CloseBraceExpected: "a closing brace '}'",
  CloseBracketExpected: "a closing bracket ']'",
  EndOfFileExpected: "the end of the file",
  InvalidCommentToken: "no comment (JSON has none)",
  UnexpectedEndOfComment: "the end of a comment",
  UnexpectedEndOfString: "the end of a string",
  UnexpectedEndOfNumber: "the rest of a number",
  InvalidUnicode: "a valid unicode escape",
  InvalidEscapeCharacter: "a valid escape character",
  InvalidCharacter: "a valid character",
};

function duplicateKey(node: Node | undefined): Node | undefined {
  if (!node) return undefined;
  if (node.type === "object") {
    const seen = new Set<unknown>();
    for (const property of node.children ?? []) {
      const key = property.children?.[0];
      if (key && seen.has(key.value)) return key;
      seen.add(key?.value);
    }
  }
  for (const child of node.children ?? []) {
    const found = duplicateKey(child);
    if (found) return found;
  }
  return undefined;
}

function parseJson(text: string): ParsedSource {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const code = printParseErrorCode(first.error);
    const found = first.offset >= text.length ? "the end of the file" : JSON.stringify(text.slice(first.offset, first.offset + Math.max(1, Math.min(first.length, 20))));
    throw new InputError(`invalid JSON: expected ${JSON_ERRORS[code] ?? code}, found ${found}`, {
      position: positionAt(text, first.offset),
    });
  }
  const duplicate = duplicateKey(root);
  if (duplicate) {
    throw new InputError(`invalid JSON: the field "${String(duplicate.value)}" appears twice in one object`, {
      position: positionAt(text, duplicate.offset),
    });
  }
  return {
    // JSON.parse is the reference reader of numbers; the tree above is only for positions.
    value: JSON.parse(text) as unknown,
    locate: (path) => {
      const node = root && nearest(path, (prefix) => findNodeAtLocation(root, [...prefix]));
      // Point at the field's name when there is one, not at its value.
      const target = node?.parent?.type === "property" ? node.parent : node;
      return target && positionAt(text, target.offset);
    },
  };
}

function parseYaml(text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = document.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw new InputError(`invalid YAML: ${first.message.split("\n")[0]!}`, { position: { line, column: col } });
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
  return {
    value: document.toJS({ maxAliasCount: 100 }) as unknown,
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
  return /^\s*[[{]/.test(text) ? "json" : "yaml";
}

export function parseSource(text: string, format: SourceFormat): ParsedSource {
  return format === "json" ? parseJson(text) : parseYaml(text);
}
