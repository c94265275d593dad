import type * as v from "valibot";
import type { JsonPath } from "../json-path.js";
import { formatPath, lookup } from "../json-path.js";
import { editDistance } from "../edit-distance.js";
import { describeValue } from "../input-error.js";
import { ALLOWED_FIELDS } from "./schema.js";

/** One thing wrong with a problem file: where, and what was expected versus found. */
export interface Issue {
  readonly path: JsonPath;
  readonly detail: string;
}

type SchemaIssue = v.BaseIssue<unknown>;
type AnySchema = v.GenericSchema;

const TYPE_NAMES: Readonly<Record<string, string>> = {
  number: "a number",
  int: "a whole number",
  Array: "an array",
  Object: "an object",
  string: "a text",
  boolean: "true or false",
  null: "null",
};

function nameType(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

/** ` (did you mean "activation"?)` when a known word is a likely intended spelling. */
export function suggestion(word: string, known: readonly string[]): string {
  const best = known
    .map((candidate) => ({ candidate, distance: editDistance(word.toLowerCase(), candidate.toLowerCase()) }))
    .sort((x, y) => x.distance - y.distance)[0];
  return best && best.distance <= Math.max(1, Math.floor(best.candidate.length / 3)) ? ` (did you mean "${best.candidate}"?)` : "";
}

function quoteList(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(", ");
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
function expectedOf(schema: AnySchema | undefined): string {
  if (schema === undefined) return "a value";
  const pipe = (schema as { pipe?: readonly { type: string }[] }).pipe ?? [];
  if (schema.type === "number") return pipe.some((action) => action.type === "integer") ? nameType("int") : nameType("number");
  if (schema.type === "picklist") return `one of ${quoteList((schema as unknown as { options: unknown[] }).options)}`;
  if (schema.type === "literal") return quoteList([(schema as unknown as { literal: unknown }).literal]);
  if (schema.type === "union") {
    const options = (schema as unknown as { options: AnySchema[] }).options.map((option) => expectedOf(option));
    return alternatives(options);
  }
  return nameType(schema.expects);
}

function alternatives(names: readonly string[]): string {
  const unique = [...new Set(names)];
  return unique.length <= 1 ? (unique[0] ?? "another value") : `${unique.slice(0, -1).join(", ")} or ${unique.at(-1)!}`;
}

/** The branch of a failed union that got furthest is the one the writer most likely meant. */
function deepestUnionIssue(issue: SchemaIssue): SchemaIssue | undefined {
  const candidates = (issue.issues ?? []).filter((inner) => (inner.path?.length ?? 0) > 0);
  candidates.sort((a, b) => b.path!.length - a.path!.length);
  const deepest = candidates[0];
  return deepest && { ...deepest, path: [...(issue.path ?? []), ...deepest.path!] as SchemaIssue["path"] };
}

function unionAlternatives(issue: SchemaIssue): string {
  return alternatives(
    (issue.issues ?? []).map((inner) => {
      if (inner.type === "literal" || inner.type === "picklist")
        return allowedValues(inner)
          .map((value) => JSON.stringify(value))
          .join(" or ");
      return nameType(inner.expected ?? inner.type);
    }),
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
    if (Array.isArray(container)) return { path: parent, detail: `expected an object, found ${describeValue(container)}` };
    if (issue.expected === "never") {
      const pattern = parent
        .map((segment) => (typeof segment === "number" ? "[]" : segment))
        .join(".")
        .replaceAll(".[]", "[]");
      const allowed = ALLOWED_FIELDS[pattern] ?? [];
      return {
        path: keys,
        detail: `unknown field "${String(key)}"${suggestion(String(key), allowed)}; ${formatPath(parent)} allows only ${allowed.join(", ")}`,
      };
    }
    return { path: keys, detail: `missing; expected ${expectedOf(schemaAt(schema, keys))} here` };
  }
  const path = keys;
  const at = lookup(input, path);
  const found = describeValue(at.value);
  switch (issue.type) {
    case "finite":
      return { path, detail: `expected a finite number, found ${found}` };
    case "integer":
      return { path, detail: `expected ${nameType("int")}, found ${found}` };
    case "picklist":
    case "literal": {
      const values = allowedValues(issue, schemaAt(schema, path));
      const hint = typeof at.value === "string" ? suggestion(at.value, values.map(String)) : "";
      const options = values.length === 1 ? quoteList(values) : `one of ${quoteList(values)}`;
      return { path, detail: `expected ${options}, found ${found}${hint}` };
    }
    case "min_length":
    case "min_value":
    case "max_value": {
      const bound = issue.requirement as number;
      if (issue.type === "min_length") return { path, detail: `expected at least ${String(bound)} entr${bound === 1 ? "y" : "ies"}, found ${found}` };
      return { path, detail: `expected a number ${issue.type === "min_value" ? "≥" : "≤"} ${String(bound)}, found ${found}` };
    }
    case "union": {
      const deepest = deepestUnionIssue(issue);
      if (deepest) return describeIssue(deepest, input, schema);
      return { path, detail: `expected ${unionAlternatives(issue)}, found ${found}` };
    }
    case "check":
      return { path, detail: issue.message };
    default:
      if (issue.kind === "schema") {
        if (typeof at.value === "number" && !Number.isFinite(at.value)) return { path, detail: `expected a finite number, found ${found}` };
        return { path, detail: `expected ${nameType(issue.expected ?? issue.type)}, found ${found}` };
      }
      return { path, detail: issue.message };
  }
}

/**
 * The issue to report first. An unknown field usually explains a missing one
 * beside it (a typo like "activaton"), so it goes first; otherwise the order
 * of the format's sections.
 */
export function firstIssue(issues: readonly SchemaIssue[]): SchemaIssue {
  return issues.find((issue) => isKeyIssue(issue) && issue.expected === "never") ?? issues[0]!;
}
