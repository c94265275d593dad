import { formatPath, type JsonPath } from "../json-path.js";
import { english, type Translator, type Say } from "../i18n/translate.js";

/** A NaN or infinite value appeared while solving or training: where, and a likely cause. */
export class NumericError extends Error {
  override readonly name = "NumericError";
  /** The likely cause, in any language. */
  private readonly hint: Say;

  constructor(
    readonly path: JsonPath,
    readonly value: number,
    readonly step: number,
    hint: Say,
  ) {
    super(numericMessage(path, value, step, hint, english));
    this.hint = hint;
  }

  /** The message in a reader's language: the path and the numbers as in `message`. */
  localized(t: Translator): string {
    return numericMessage(this.path, this.value, this.step, this.hint, t);
  }
}

function numericMessage(path: JsonPath, value: number, step: number, hint: Say, t: Translator): string {
  const place = placeOf(path, t);
  return t.text("numeric.message", {
    path: formatPath(path),
    value: String(value),
    step,
    place: place.length > 0 ? t.text("numeric.place", { parts: place.join(t.text("numeric.separator")) }) : "",
    hint: hint(t),
  });
}

/** "layer 1", "sample 0", "neuron 2" for paths like forward[1].z[0][2]. */
function placeOf(path: JsonPath, t: Translator): string[] {
  const layerAt = path.findIndex((segment) => segment === "forward" || segment === "backward" || segment === "updated");
  const layer = path[layerAt + 1];
  if (layerAt < 0 || typeof layer !== "number") return [];
  const [key, row, column] = path.slice(layerAt + 2);
  const parts = [t.text("numeric.layer", { layer })];
  if ((key === "z" || key === "a" || key === "da" || key === "dz") && typeof row === "number") {
    parts.push(t.text("numeric.sample", { sample: row }), t.text("numeric.neuron", { neuron: String(column) }));
  } else if (key === "weights" && typeof row === "number") {
    parts.push(t.text("numeric.weight", { input: String(column), neuron: row }));
  } else if (key === "bias") {
    parts.push(typeof row === "number" ? t.text("numeric.biasOf", { neuron: row }) : t.text("numeric.bias"));
  }
  return parts;
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
