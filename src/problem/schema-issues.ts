import type { z } from "zod";
import type { JsonPath } from "../json-path.js";
import { formatPath, lookup } from "../json-path.js";
import { editDistance } from "../edit-distance.js";
import { describeValue } from "./input-error.js";
import { ALLOWED_FIELDS } from "./schema.js";

/** One thing wrong with a problem file: where, and what was expected versus found. */
export interface Issue {
  readonly path: JsonPath;
  readonly detail: string;
}

type ZodIssue = z.core.$ZodIssue;

const TYPE_NAMES: Readonly<Record<string, string>> = {
  number: "a number",
  int: "a whole number",
  array: "an array",
  object: "an object",
  string: "a text",
  boolean: "true or false",
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
  return values.map((v) => JSON.stringify(v)).join(", ");
}

/** The branch of a failed union that got furthest is the one the writer most likely meant. */
function deepestUnionIssue(issue: Extract<ZodIssue, { code: "invalid_union" }>): ZodIssue | undefined {
  const candidates = issue.errors.flat().filter((inner) => inner.path.length > 0);
  candidates.sort((a, b) => b.path.length - a.path.length);
  const deepest = candidates[0];
  return deepest && { ...deepest, path: [...issue.path, ...deepest.path] };
}

function unionAlternatives(issue: Extract<ZodIssue, { code: "invalid_union" }>): string {
  const names = issue.errors.flat().map((inner) => {
    if (inner.code === "invalid_type") return nameType(inner.expected);
    if (inner.code === "invalid_value") return inner.values.map((v) => JSON.stringify(v)).join(" or ");
    return inner.message;
  });
  const unique = [...new Set(names)];
  return unique.length <= 1 ? (unique[0] ?? "another value") : `${unique.slice(0, -1).join(", ")} or ${unique.at(-1)!}`;
}

/** Rewrites a schema library issue in the words of the problem format. */
export function describeIssue(issue: ZodIssue, input: unknown): Issue {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== "symbol");
  const at = lookup(input, path);
  const found = describeValue(at.value);
  switch (issue.code) {
    case "invalid_type": {
      const expected = nameType(issue.expected);
      if (!at.found) return { path, detail: `missing; expected ${expected} here` };
      if (typeof at.value === "number" && !Number.isFinite(at.value)) {
        return { path, detail: `expected a finite number, found ${found}` };
      }
      return { path, detail: `expected ${expected}, found ${found}` };
    }
    case "unrecognized_keys": {
      const pattern = path.map((segment) => (typeof segment === "number" ? "[]" : segment)).join(".").replaceAll(".[]", "[]");
      const allowed = ALLOWED_FIELDS[pattern] ?? [];
      const key = issue.keys[0]!;
      return {
        path: [...path, key],
        detail: `unknown field "${key}"${suggestion(key, allowed)}; ${formatPath(path)} allows only ${allowed.join(", ")}`,
      };
    }
    case "invalid_value": {
      if (!at.found) return { path, detail: `missing; expected one of ${quoteList(issue.values)} here` };
      const hint = typeof at.value === "string" ? suggestion(at.value, issue.values.map(String)) : "";
      const options = issue.values.length === 1 ? quoteList(issue.values) : `one of ${quoteList(issue.values)}`;
      return { path, detail: `expected ${options}, found ${found}${hint}` };
    }
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      if (issue.origin === "array") {
        return { path, detail: `expected at least ${String(bound)} entr${bound === 1 ? "y" : "ies"}, found ${found}` };
      }
      const relation = issue.code === "too_small" ? (issue.inclusive ? "≥" : ">") : issue.inclusive ? "≤" : "<";
      return { path, detail: `expected a number ${relation} ${String(bound)}, found ${found}` };
    }
    case "invalid_union": {
      const deepest = deepestUnionIssue(issue);
      if (deepest) return describeIssue(deepest, input);
      if (!at.found) return { path, detail: `missing; expected ${unionAlternatives(issue)} here` };
      return { path, detail: `expected ${unionAlternatives(issue)}, found ${found}` };
    }
    default:
      return { path, detail: issue.message };
  }
}

/**
 * The issue to report first. An unknown field usually explains a missing one
 * beside it (a typo like "activaton"), so it goes first; otherwise the order
 * of the format's sections.
 */
export function firstIssue(issues: readonly ZodIssue[]): ZodIssue {
  return issues.find((issue) => issue.code === "unrecognized_keys") ?? issues[0]!;
}
