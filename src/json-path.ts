/**
 * Places in a problem file or a trace, written as the format writes them:
 * keys joined by `.`, array indices in brackets (`steps[0].backward[1].bias[0]`).
 */
export type PathSegment = string | number;
export type JsonPath = readonly PathSegment[];

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function formatPath(path: JsonPath): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** Parses `a.b[2].c` into ["a", "b", 2, "c"]; returns undefined for malformed text. */
export function parsePath(text: string): JsonPath | undefined {
  const segments: PathSegment[] = [];
  const token = /\.?([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let position = 0;
  while (position < text.length) {
    token.lastIndex = position;
    const match = token.exec(text);
    if (!match || (match[1] !== undefined && position === 0 && text.startsWith("."))) return undefined;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(match[3]!) as string);
    position = token.lastIndex;
  }
  return segments.length > 0 ? segments : undefined;
}

/** The value at `path`, and whether it is there at all. */
export function lookup(root: unknown, path: JsonPath): { found: boolean; value: unknown } {
  let value = root;
  for (const segment of path) {
    if (typeof segment === "number" ? !Array.isArray(value) : !isRecord(value)) return { found: false, value: undefined };
    const container = value as Record<PathSegment, unknown>;
    if (!Object.hasOwn(container, segment)) return { found: false, value: undefined };
    value = container[segment];
  }
  return { found: true, value };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
