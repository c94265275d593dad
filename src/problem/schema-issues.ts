import type * as v from "valibot";
import type { JsonPath } from "../json-path.js";
import { formatPath, lookup } from "../json-path.js";
import { closestName } from "../edit-distance.js";
import { describeValue } from "../input-error.js";
import { english, type MessageKey, type Translator, type Say } from "../i18n/translate.js";
import errorMessages from "../i18n/catalogues/errors/en.js";
import { ALLOWED_FIELDS } from "./schema.js";

/** One thing wrong with a problem file: where, and what was expected versus found (`detail` in English, `say` in any language). */
export interface Issue {
  readonly path: JsonPath;
  readonly detail: string;
  readonly say: Say;
}

/** An issue whose detail is a catalogue message. */
export function issueAt(path: JsonPath, say: Say): Issue {
  return { path, detail: say(english), say };
}

type SchemaIssue = v.BaseIssue<unknown>;
type AnySchema = v.GenericSchema;

const TYPE_NAMES: Readonly<Record<string, MessageKey>> = {
  number: "expect.number",
  int: "expect.wholeNumber",
  Array: "expect.array",
  Object: "expect.object",
  string: "expect.text",
  boolean: "expect.boolean",
};

function nameType(expected: string, t: Translator): string {
  const key = TYPE_NAMES[expected];
  return key === undefined ? expected : t.text(key);
}

/** ` (did you mean "activation"?)` when a known word is a likely intended spelling. */
export function suggestion(word: string, known: readonly string[], t: Translator = english): string {
  const closest = closestName(word, known);
  return closest === undefined ? "" : t.text("error.didYouMean", { word: closest });
}

/** A schema's own message where it is a key of the error catalogue (`v.check(…, "error.claimPathOrName")`), else the message as it is. */
function checkMessage(message: string, t: Translator): string {
  return Object.hasOwn(errorMessages, message) ? t.text(message as MessageKey) : message;
}

/** Values as JSON writes them, in the language's list: `"a", "b"` or `"a"、"b"`. */
export function quoteList(values: readonly unknown[], t: Translator): string {
  return values.map((value) => JSON.stringify(value)).join(t.text("expect.separator"));
}

/** The keys of an issue's path; a missing or unknown key's issue ends with that key. */
function keysOf(issue: SchemaIssue): JsonPath {
  return (issue.path ?? []).map((item) => item.key).filter((key): key is string | number => typeof key === "string" || typeof key === "number");
}

const isKeyIssue = (issue: SchemaIssue): boolean => issue.path?.at(-1)?.origin === "key";

/** A picklist's or literal's allowed values: the schema's own, else as valibot writes them, `("a" | "b")`. */
function allowedValues(issue: SchemaIssue, schema?: AnySchema): unknown[] {
  if (schema?.type === "picklist") return [...(schema as unknown as { options: unknown[] }).options];
  if (schema?.type === "literal") return [(schema as unknown as { literal: unknown }).literal];
  return (issue.expected ?? "")
    .replace(/^\((.*)\)$/, "$1")
    .split(" | ")
    .map((text) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    });
}

/** The schema that validates the value at `path` below `schema`: how a missing field's type is named. */
function schemaAt(schema: AnySchema | undefined, path: JsonPath): AnySchema | undefined {
  let at: AnySchema | undefined = schema;
  for (const key of path) {
    at = unwrap(at);
    if (at === undefined) return undefined;
    if (at.type === "union") {
      const options = (at as unknown as { options: AnySchema[] }).options.map(unwrap);
      at = options.find((option) => (typeof key === "number" ? option?.type === "array" : option !== undefined && "entries" in option));
    }
    if (at === undefined) return undefined;
    if ("entries" in at) at = (at.entries as Record<string, AnySchema>)[key];
    else if ("item" in at) at = at.item as AnySchema;
    else if (at.type === "record") at = (at as unknown as { value: AnySchema }).value;
    else return undefined;
  }
  return unwrap(at);
}

function unwrap(schema: AnySchema | undefined): AnySchema | undefined {
  let at = schema;
  while (at !== undefined && "wrapped" in at) at = at.wrapped as AnySchema;
  return at;
}

/** What a schema accepts, in the words of the format: "a whole number", "one of "mean", "sum"". */
function expectedOf(schema: AnySchema | undefined, t: Translator): string {
  if (schema === undefined) return t.text("expect.value");
  const pipe = (schema as { pipe?: readonly { type: string }[] }).pipe ?? [];
  if (schema.type === "number") return pipe.some((action) => action.type === "integer") ? nameType("int", t) : nameType("number", t);
  if (schema.type === "picklist") return t.text("expect.oneOf", { values: quoteList((schema as unknown as { options: unknown[] }).options, t) });
  if (schema.type === "literal") return quoteList([(schema as unknown as { literal: unknown }).literal], t);
  if (schema.type === "union") {
    const options = (schema as unknown as { options: AnySchema[] }).options.map((option) => expectedOf(option, t));
    return alternatives(options, t);
  }
  return nameType(schema.expects, t);
}

/** "a, b or c" in the reader's language. */
function alternatives(names: readonly string[], t: Translator): string {
  const unique = [...new Set(names)];
  if (unique.length <= 1) return unique[0] ?? t.text("expect.anotherValue");
  return t.text("expect.alternatives", { rest: unique.slice(0, -1).join(t.text("expect.separator")), last: unique.at(-1)! });
}

/** The branch of a failed union that got furthest is the one the writer most likely meant. */
function deepestUnionIssue(issue: SchemaIssue): SchemaIssue | undefined {
  const candidates = (issue.issues ?? []).filter((inner) => (inner.path?.length ?? 0) > 0);
  candidates.sort((a, b) => b.path!.length - a.path!.length);
  const deepest = candidates[0];
  return deepest && { ...deepest, path: [...(issue.path ?? []), ...deepest.path!] as SchemaIssue["path"] };
}

function unionAlternatives(issue: SchemaIssue, t: Translator): string {
  return alternatives(
    (issue.issues ?? []).map((inner) => {
      if (inner.type === "literal" || inner.type === "picklist") {
        // "a" or "b" or "c": each value an alternative of its own.
        return allowedValues(inner)
          .map((value) => JSON.stringify(value))
          .reduce((rest, last) => t.text("expect.alternatives", { rest, last }));
      }
      return nameType(inner.expected ?? inner.type, t);
    }),
    t,
  );
}

/**
 * Rewrites a schema library issue in the words of the problem format.
 * `schema` is the one `input` was checked against: it names a missing field's type.
 */
export function describeIssue(issue: SchemaIssue, input: unknown, schema?: AnySchema): Issue {
  const keys = keysOf(issue);
  if (isKeyIssue(issue)) {
    const parent = keys.slice(0, -1);
    const key = keys.at(-1)!;
    // valibot takes an array for an object whose keys are all missing; the format never does.
    const container = lookup(input, parent).value;
    if (Array.isArray(container)) return issueAt(parent, (t) => expectedFound(t.text("expect.object"), container, t));
    if (issue.expected === "never") {
      const pattern = parent
        .map((segment) => (typeof segment === "number" ? "[]" : segment))
        .join(".")
        .replaceAll(".[]", "[]");
      const allowed = ALLOWED_FIELDS[pattern] ?? [];
      return issueAt(keys, (t) =>
        t.text("error.unknownField", {
          field: String(key),
          hint: suggestion(String(key), allowed, t),
          parent: formatPath(parent),
          allowed: allowed.join(", "),
        }),
      );
    }
    return issueAt(keys, (t) => t.text("error.missing", { expected: expectedOf(schemaAt(schema, keys), t) }));
  }
  const path = keys;
  const at = lookup(input, path);
  const found = (expected: Say, hint: Say = () => "") => issueAt(path, (t) => expectedFound(expected(t), at.value, t) + hint(t));
  switch (issue.type) {
    case "finite":
      return found((t) => t.text("expect.finiteNumber"));
    case "integer":
      return found((t) => nameType("int", t));
    case "picklist":
    case "literal": {
      const values = allowedValues(issue, schemaAt(schema, path));
      const value = at.value;
      return found(
        (t) => (values.length === 1 ? quoteList(values, t) : t.text("expect.oneOf", { values: quoteList(values, t) })),
        (t) => (typeof value === "string" ? suggestion(value, values.map(String), t) : ""),
      );
    }
    case "min_length":
    case "min_value":
    case "max_value": {
      const bound = issue.requirement as number;
      if (issue.type === "min_length") return found((t) => t.text("expect.atLeastEntries", { count: bound }));
      return found((t) => t.text(issue.type === "min_value" ? "expect.numberAtLeast" : "expect.numberAtMost", { bound: String(bound) }));
    }
    case "union": {
      const deepest = deepestUnionIssue(issue);
      if (deepest) return describeIssue(deepest, input, schema);
      return found((t) => unionAlternatives(issue, t));
    }
    case "check":
      return issueAt(path, (t) => checkMessage(issue.message, t));
    default:
      if (issue.kind === "schema") {
        if (typeof at.value === "number" && !Number.isFinite(at.value)) return found((t) => t.text("expect.finiteNumber"));
        return found((t) => nameType(issue.expected ?? issue.type, t));
      }
      return issueAt(path, (t) => checkMessage(issue.message, t));
  }
}

/** "expected a number, found the text "x"" in the reader's language. */
export function expectedFound(expected: string, value: unknown, t: Translator = english): string {
  return t.text("error.expectedFound", { expected, found: describeValue(value, t) });
}

/**
 * The issue to report first. An unknown field usually explains a missing one
 * beside it (a typo like "activaton"), so it goes first; otherwise the order
 * of the format's sections.
 */
export function firstIssue(issues: readonly SchemaIssue[]): SchemaIssue {
  return issues.find((issue) => isKeyIssue(issue) && issue.expected === "never") ?? issues[0]!;
}
