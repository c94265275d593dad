import { formatPath, isRecord, type JsonPath } from "../json-path.js";

/** One way a trace differs from an expected trace. */
export interface Mismatch {
  readonly path: string;
  readonly detail: string;
}

/** The format's tolerance: |got − want| ≤ max(1e-12, 1e-9·|want|). */
export function withinTolerance(got: number, want: number): boolean {
  return Math.abs(got - want) <= Math.max(1e-12, 1e-9 * Math.abs(want));
}

function compare(got: unknown, want: unknown, path: JsonPath, out: Mismatch[]): void {
  const where = formatPath(path) || "(root)";
  if (typeof want === "number") {
    if (typeof got !== "number") out.push({ path: where, detail: `expected ${want}, got ${JSON.stringify(got)}` });
    else if (!withinTolerance(got, want)) out.push({ path: where, detail: `expected ${want}, got ${got} (off by ${Math.abs(got - want)})` });
  } else if (want === null) {
    if (got !== null) out.push({ path: where, detail: `expected null, got ${JSON.stringify(got)}` });
  } else if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) {
      out.push({ path: where, detail: `expected an array of ${want.length}, got ${Array.isArray(got) ? `one of ${got.length}` : JSON.stringify(got)}` });
      return;
    }
    want.forEach((item, i) => {
      compare(got[i], item, [...path, i], out);
    });
  } else if (isRecord(want)) {
    if (!isRecord(got)) {
      out.push({ path: where, detail: `expected an object, got ${JSON.stringify(got)}` });
      return;
    }
    for (const key of new Set([...Object.keys(want), ...Object.keys(got)])) {
      if (!(key in want)) out.push({ path: formatPath([...path, key]), detail: "present, but expected absent" });
      else if (!(key in got)) out.push({ path: formatPath([...path, key]), detail: "missing" });
      else compare(got[key], want[key], [...path, key], out);
    }
  } else if (got !== want) {
    out.push({ path: where, detail: `expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}` });
  }
}

/**
 * Compares a trace with an expected one by the format's matching rule: the
 * same structure, and every number within tolerance. Returns every mismatch.
 */
export function matchTrace(got: unknown, want: unknown): Mismatch[] {
  const out: Mismatch[] = [];
  compare(got, want, [], out);
  return out;
}
