/**
 * A name as textbooks typeset it: a base with optional subscript and
 * superscript (w⁽²⁾₁₂, net_h1, o₁), or a partial derivative of one name by
 * another (∂E/∂w₇). `sample` marks which sample of a batch (1-based), shown
 * as a suffix [s] only when the batch has more than one sample.
 */
export type Name =
  | { readonly kind: "symbol"; readonly base: string; readonly sub?: string; readonly sup?: string; readonly sample?: number }
  /** A function of a name, as some textbooks name activations: f(s₁). */
  | { readonly kind: "applied"; readonly fn: string; readonly arg: Name; readonly sample?: number }
  | { readonly kind: "partial"; readonly of: Name; readonly wrt: Name };

export function symbol(base: string, sub?: string, sup?: string, sample?: number): Name {
  return { kind: "symbol", base, ...(sub === undefined ? {} : { sub }), ...(sup === undefined ? {} : { sup }), ...(sample === undefined ? {} : { sample }) };
}

export function partial(of: Name, wrt: Name): Name {
  return { kind: "partial", of, wrt };
}

export function withSample(name: Name, sample: number | undefined): Name {
  return name.kind !== "partial" && sample !== undefined ? { ...name, sample } : name;
}

function group(text: string): string {
  return text.startsWith("{") && text.endsWith("}") ? text.slice(1, -1) : text;
}

/**
 * Reads a name as a problem file writes it: `w7` (trailing digits become the
 * subscript), `net_h1`, `w_{11}^{(1)}`, `E`, `η`, `f(s1)`.
 */
export function parseName(text: string): Name {
  const applied = /^([A-Za-z]+)\((.+)\)$/.exec(text);
  if (applied) return { kind: "applied", fn: applied[1]!, arg: parseName(applied[2]!) };
  const scripted = /^([^_^]+?)(?:_(\{[^}]*\}|[^_^{}]+))?(?:\^(\{[^}]*\}|[^_^{}]+))?$/.exec(text);
  if (scripted && (scripted[2] !== undefined || scripted[3] !== undefined)) {
    return symbol(scripted[1]!, scripted[2] === undefined ? undefined : group(scripted[2]), scripted[3] === undefined ? undefined : group(scripted[3]));
  }
  const numbered = /^(\D+?)(\d+)$/.exec(text);
  if (numbered) return symbol(numbered[1]!, numbered[2]);
  return symbol(text);
}
