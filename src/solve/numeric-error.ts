import { formatPath, type JsonPath } from "../json-path.js";

/** A NaN or infinite value appeared while solving or training: where, and a likely cause. */
export class NumericError extends Error {
  override readonly name = "NumericError";

  constructor(
    readonly path: JsonPath,
    readonly value: number,
    readonly step: number,
    hint: string,
  ) {
    super(`${formatPath(path)} is ${String(value)} at step ${step}${placeOf(path)}; ${hint}`);
  }
}

/** "(layer 1, sample 0, neuron 2)" for paths like forward[1].z[0][2]. */
function placeOf(path: JsonPath): string {
  const layerAt = path.findIndex((segment) => segment === "forward" || segment === "backward" || segment === "updated");
  const layer = path[layerAt + 1];
  if (layerAt < 0 || typeof layer !== "number") return "";
  const [key, row, column] = path.slice(layerAt + 2);
  const parts = [`layer ${layer}`];
  if ((key === "z" || key === "a" || key === "da" || key === "dz") && typeof row === "number") {
    parts.push(`sample ${row}`, `neuron ${String(column)}`);
  } else if (key === "weights" && typeof row === "number") {
    parts.push(`weight from input ${String(column)} to neuron ${row}`);
  } else if (key === "bias") {
    parts.push(typeof row === "number" ? `bias of neuron ${row}` : "bias");
  }
  return ` (${parts.join(", ")})`;
}

/** The first non-finite number inside a JSON-like value and its path, skipping paths `skip` accepts. */
export function findNonFinite(value: unknown, path: JsonPath, skip: (path: JsonPath) => boolean): { path: JsonPath; value: number } | undefined {
  if (skip(path)) return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? undefined : { path, value };
  if (typeof value !== "object" || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = findNonFinite(item, [...path, Array.isArray(value) ? Number(key) : key], skip);
    if (found) return found;
  }
  return undefined;
}
