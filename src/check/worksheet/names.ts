/**
 * Which quantity a name on a worksheet means: the exercise's notation read
 * through the same LaTeX reader as the worksheet, so that `w_{1,1}^{(1)}`,
 * `w^{(1)}_{1,1}`, `w_{11}^{(1)}`, `\frac{dE}{dw_7}`, `w_{7\_grad}`,
 * `\nabla_{w_7} E`, `\delta_{o1}`, `w_5'` and `\tilde{w}_5` all meet the
 * quantity they name.
 */
import type { Notation } from "../../explain/notation.js";
import { computedQuantities, givenQuantities } from "../../explain/order.js";
import type { Quantity } from "../../explain/quantity.js";
import type { Name } from "../../explain/names.js";
import type { Problem } from "../../problem/problem.js";
import { renderName } from "../../explain/name-writing.js";
import type { NameRef, Term } from "./math.js";
import { said, type Said } from "../../i18n/translate.js";

/** What a left side names: the quantities it may be (over steps and samples), and how it was written. */
export interface Resolution {
  readonly candidates: readonly Quantity[];
  /** Written as an updated value: w′, w⁺, w*, w̃, w^{new}, or with := or ←. */
  readonly update: boolean;
  /** A step the name itself gives (w^{(2)} where the notation has no superscript). */
  readonly step?: number;
}

export type Unresolved = { readonly reason: "unknown-name" | "local-derivative" } & Said;

const LOSS_WORDS = /^(E|L|J|C|l|ℓ|Loss|loss|Cost|cost|Error|error)$/;
const UPDATE_SUP = /^(\+|\*|new|neu|\(new\)|\(neu\)|neo|updated|n)$/i;

const clean = (text: string) => text.replace(/[\s{}\\]/g, "").replace(/^mathrm|^text/, "");

export function nameKey(n: NameRef): string {
  return `${n.bold ? "B:" : ""}${n.accent ? `${n.accent}:` : ""}${clean(n.base)}_${clean(n.sub)}^${clean(n.sup)}`;
}

/** Indices written with or without commas (w_{1,1} and w_{11}) and a superscript's parentheses dropped. */
function looseKey(n: NameRef): string {
  return `${n.accent ? `${n.accent}:` : ""}${clean(n.base)}_${clean(n.sub).replace(/[,_]/g, "")}^${clean(n.sup).replace(/[(),[\]]/g, "")}`;
}

/** The name a term writes, for a term that is only a name. */
export function nameIn(term: Term): NameRef | undefined {
  return term.kind === "name" ? term.name : undefined;
}

function withoutSample(name: Name): Name {
  if (name.kind === "partial") return name;
  const { sample: _sample, ...rest } = name;
  return rest;
}

function add<K>(map: Map<K, Quantity[]>, key: K, q: Quantity): void {
  const list = map.get(key);
  if (list) list.push(q);
  else map.set(key, [q]);
}

export class WorksheetNames {
  private readonly values = new Map<string, Quantity[]>();
  private readonly loose = new Map<string, Quantity[]>();
  private readonly gradients = new Map<string, Quantity[]>();
  private readonly looseGradients = new Map<string, Quantity[]>();
  /** dL/dz of each neuron, by the ways δ is subscripted: δ_{o1}, δ_{h1}, δ^{(2)}_1. */
  private readonly deltas = new Map<string, Quantity[]>();
  private readonly lossKeys = new Set<string>();

  /** `read` turns a name's LaTeX into the name the worksheet reader sees. */
  constructor(problem: Problem, notation: Notation, read: (latex: string) => NameRef | undefined) {
    const cache = new Map<string, NameRef | undefined>();
    const ref = (name: Name): NameRef | undefined => {
      const latex = renderName(withoutSample(name), "latex");
      if (!cache.has(latex)) cache.set(latex, read(latex));
      return cache.get(latex);
    };
    const loss = ref(notation.loss);
    if (loss) this.lossKeys.add(nameKey(loss));
    for (const q of [...givenQuantities(problem), ...computedQuantities(problem)]) {
      const name = notation.name(q);
      if (name.kind === "partial") {
        const wrt = ref(name.wrt);
        if (!wrt) continue;
        add(this.gradients, nameKey(wrt), q);
        add(this.looseGradients, looseKey(wrt), q);
        if (q.kind === "dz") {
          // δ takes the neuron's own subscripts, or its value's name.
          for (const kind of ["z", "a"] as const) {
            const own = ref(notation.neuron(kind, q.layer, q.j));
            if (!own) continue;
            for (const key of new Set([looseKey({ ...own, base: "" }), clean(own.base + own.sub).replace(/,/g, ""), `_${clean(own.sub).replace(/,/g, "")}^`]))
              add(this.deltas, key, q);
          }
          add(this.deltas, `_${q.j + 1}^${q.layer + 1}`, q);
        }
        continue;
      }
      const own = ref(name);
      if (!own) continue;
      add(this.values, nameKey(own), q);
      add(this.loose, looseKey(own), q);
    }
    for (const list of [this.deltas]) for (const [key, qs] of list) list.set(key, [...new Map(qs.map((q) => [JSON.stringify(q), q])).values()]);
  }

  isLoss(term: Term): boolean {
    const n = nameIn(term);
    if (!n) return false;
    return this.lossKeys.has(nameKey(n)) || LOSS_WORDS.test(n.base) || this.lossKeys.has(nameKey({ ...n, sub: "", sup: "" }));
  }

  private lookup(n: NameRef): Quantity[] | undefined {
    return this.values.get(nameKey(n)) ?? this.loose.get(looseKey(n)) ?? this.loose.get(looseKey({ ...n, bold: false }));
  }

  private gradientOf(wrt: Term): Resolution | Unresolved {
    const n = nameIn(wrt);
    if (!n) return { reason: "unknown-name", ...said((t) => t.text("worksheet.derivativeByNoName")) };
    const found = this.gradients.get(nameKey(n)) ?? this.looseGradients.get(looseKey(n));
    if (found) return { candidates: found, update: false };
    const stepped = stepScript(n);
    const again = stepped && (this.gradients.get(nameKey(stepped.name)) ?? this.looseGradients.get(looseKey(stepped.name)));
    if (again) return { candidates: again, update: false, step: stepped.step };
    {
      const name = display(n);
      return { reason: "unknown-name", ...said((t) => t.text("worksheet.noSuchName", { name })) };
    }
  }

  /** The quantities a left side may name, or why it names none. */
  resolve(term: Term): Resolution | Unresolved {
    if (term.kind === "deriv") {
      if (!this.isLoss(term.of)) {
        const of = nameIn(term.of),
          wrt = nameIn(term.wrt);
        const derivative = `∂${of ? display(of) : "?"}/∂${wrt ? display(wrt) : "?"}`;
        return { reason: "local-derivative", ...said((t) => t.text("worksheet.localDerivative", { derivative })) };
      }
      return this.gradientOf(term.wrt);
    }
    if (term.kind === "grad") return this.gradientOf(term.wrt);
    const n = nameIn(term);
    if (!n) return { reason: "unknown-name", ...said((t) => t.text("worksheet.leftNotName")) };
    return this.resolveName(n);
  }

  private resolveName(n: NameRef): Resolution | Unresolved {
    const direct = this.lookup(n);
    if (direct) return { candidates: direct, update: false };
    // Decorations that mark an updated value.
    const update = n.primes > 0 || UPDATE_SUP.test(clean(n.sup)) || n.accent === "tilde" || /(^|,)(new|neu)$/.test(clean(n.sub));
    if (update) {
      const plain: NameRef = {
        ...n,
        primes: 0,
        sup: UPDATE_SUP.test(clean(n.sup)) ? "" : n.sup,
        accent: n.accent === "tilde" ? "" : n.accent,
        sub: clean(n.sub).replace(/,?(new|neu)$/, ""),
      };
      const found = this.lookup(plain);
      if (found) return { candidates: found, update: true };
    }
    // Gradients written as names: w_{1,1\_grad}, dw_5, \mathrm{d}W.
    const gradSub = /^(.*?)[,_]?grad$/.exec(clean(n.sub));
    if (gradSub) {
      const resolved = this.gradientOf({ kind: "name", name: { ...n, sub: gradSub[1]! } });
      if ("candidates" in resolved) return resolved;
    }
    if (/^d[A-Za-z]/.test(n.base) || (n.base === "d" && n.sub !== "")) {
      const resolved = this.gradientOf({ kind: "name", name: { ...n, base: n.base.slice(1) } });
      if ("candidates" in resolved) return resolved;
    }
    if (n.base === "δ" || n.base === "delta") {
      const keys = [
        looseKey({ ...n, base: "" }),
        `_${clean(n.sub).replace(/,/g, "")}^`,
        `_${clean(n.sub).replace(/,/g, "")}^${clean(n.sup).replace(/[()]/g, "")}`,
        clean(n.sub).replace(/,/g, ""),
      ];
      for (const key of keys) {
        const found = this.deltas.get(key);
        if (found) return { candidates: found, update: false };
      }
    }
    if (this.isLoss({ kind: "name", name: n })) {
      const found = [...this.lossKeys].flatMap((key) => this.values.get(key) ?? []);
      if (found.length > 0) return { candidates: found, update: false };
    }
    const stepped = stepScript(n);
    if (stepped) {
      const found = this.lookup(stepped.name);
      if (found) return { candidates: found, update: false, step: stepped.step };
    }
    {
      const name = display(n);
      return { reason: "unknown-name", ...said((t) => t.text("worksheet.noSuchName", { name })) };
    }
  }
}

/** A whole layer's matrix or vector, named as matrix-form solutions name them: W^{(1)}, b^{(2)}, Z^{(1)}, δ^{(2)}, ∂E/∂W^{(1)}. */
export interface LayerMatrix {
  readonly kind: "w" | "b" | "z" | "a" | "dz" | "dw" | "db";
  /** 0-based. */
  readonly layer: number;
  /** Written transposed: W^{(1)T}, (W^{(1)})^T. */
  readonly transposed: boolean;
}

const MATRIX_KINDS: Readonly<Record<string, LayerMatrix["kind"]>> = {
  W: "w",
  w: "w",
  B: "b",
  b: "b",
  Z: "z",
  z: "z",
  A: "a",
  a: "a",
  H: "a",
  h: "a",
  O: "a",
  Y: "a",
  δ: "dz",
  Δ: "dz",
  delta: "dz",
  Delta: "dz",
};

/** The layer matrix a left side names, when it names one (its value is then a matrix of numbers). */
export function layerMatrix(term: Term, layers: number, isLoss: (t: Term) => boolean): LayerMatrix | undefined {
  if (term.kind === "transpose") {
    const inner = layerMatrix(term.arg, layers, isLoss);
    return inner && { ...inner, transposed: !inner.transposed };
  }
  const gradient = term.kind === "grad" ? term.wrt : term.kind === "deriv" && isLoss(term.of) ? term.wrt : undefined;
  if (gradient) {
    const of = layerMatrix(gradient, layers, isLoss);
    return of && (of.kind === "w" || of.kind === "b")
      ? { ...of, kind: of.kind === "w" ? "dw" : "db" }
      : of && of.kind === "z"
        ? { ...of, kind: "dz" }
        : undefined;
  }
  const n = nameIn(term);
  if (!n) return undefined;
  const sup = clean(n.sup);
  const transposed = /(^|[,)])(T|top|⊤|intercal)$/.test(sup);
  const layerText = sup.replace(/,?(T|top|⊤|intercal)$/, "").replace(/^[([{]?(\d+)[)\]}]?$/, "$1") || clean(n.sub);
  if (!/^\d+$/.test(layerText)) return undefined;
  const layer = Number(layerText) - 1;
  if (layer < 0 || layer >= layers) return undefined;
  const gradientName = /^(d|∂|nabla)(.+)$/.exec(n.base);
  const kind = gradientName ? MATRIX_KINDS[gradientName[2]!] : MATRIX_KINDS[n.base];
  if (!kind) return undefined;
  if (gradientName)
    return kind === "w"
      ? { kind: "dw", layer, transposed }
      : kind === "b"
        ? { kind: "db", layer, transposed }
        : kind === "z"
          ? { kind: "dz", layer, transposed }
          : undefined;
  return { kind, layer, transposed };
}

/** w^{(2)}, w^{[2]}, w^{2}: a superscript that counts steps, where the notation writes none. */
function stepScript(n: NameRef): { name: NameRef; step: number } | undefined {
  const match = /^[([{]?(\d+)[)\]}]?$/.exec(clean(n.sup));
  return match ? { name: { ...n, sup: "" }, step: Number(match[1]) } : undefined;
}

/** A name as the student wrote it, for messages. */
export function display(n: NameRef): string {
  return `${n.accent ? `${n.accent} ` : ""}${n.base}${n.sub ? `_${n.sub}` : ""}${n.sup ? `^${n.sup}` : ""}${"′".repeat(n.primes)}`;
}
