import { LOSSES } from "../engine/losses.js";
import type { Problem } from "../problem/problem.js";
import { ACTIVATION_RULES, isElementwiseRule } from "../rules/activations.js";
import { LOSS_RULES } from "../rules/losses.js";
import type { Trace } from "../solve/trace.js";
import { div, evaluate, fn, mul, num, partialOf, ref, sub, sum, type Expr } from "./expr.js";
import { quantityKey, Values, type Quantity } from "./quantity.js";

/** How one computed value arises. */
export interface Derivation {
  readonly quantity: Quantity;
  /** For gradients, the chain rule as a product of partial derivatives. */
  readonly chain?: Expr;
  /** The formula over named quantities: shown with names, then with numbers. */
  readonly formula: Expr;
  /** The value in the trace (the formula evaluates to it). */
  readonly value: number;
}

type Neuron = { step: number; layer: number; sample: number; j: number };

/** Derives every computed quantity of one solved problem from the quantities before it. */
export class Deriver {
  readonly values: Values;
  private readonly batch: number;
  private readonly last: number;
  /** Each derivation built once: the checker's slip replays ask for the same ones thousands of times. */
  private readonly derived = new Map<string, Derivation | undefined>();
  /** How many derivations were built (not served from the cache): tests hold the checker to a bound on it. */
  built = 0;

  constructor(
    readonly problem: Problem,
    readonly trace: Trace,
  ) {
    this.values = new Values(problem, trace);
    this.batch = problem.data.inputs.length;
    this.last = problem.network.layers.length - 1;
  }

  /** The derivation of `q`, or undefined for given values (inputs, targets, η, the initial parameters). */
  derive(q: Quantity): Derivation | undefined {
    const key = quantityKey(q);
    if (this.derived.has(key)) return this.derived.get(key);
    this.built++;
    const found = this.formulaOf(q);
    const derivation = found && { quantity: q, ...found, value: this.values.of(q) };
    this.derived.set(key, derivation);
    return derivation;
  }

  private formulaOf(q: Quantity): { formula: Expr; chain?: Expr } | undefined {
    switch (q.kind) {
      case "x":
      case "t":
      case "eta":
        return undefined;
      case "w":
      case "b":
        return q.step === 0 ? undefined : { formula: this.update(q) };
      case "z":
        return { formula: this.preActivation(q) };
      case "a":
        return { formula: this.activation(q) };
      case "sampleLoss":
        return { formula: this.sampleLoss(q.step, q.sample) };
      case "loss":
        return { formula: this.loss(q.step) };
      case "da":
        return q.layer === this.last
          ? { formula: this.scaled(this.outputGradient(q)) }
          : {
              chain: sum(this.fanOut(q, (n) => mul(partialOf("loss", { ...n, kind: "z" }), partialOf({ ...n, kind: "z" }, { ...q, kind: "a" })))),
              formula: sum(this.fanOut(q, (n, w) => mul(ref({ ...n, kind: "dz" }), ref(w)))),
            };
      case "dz":
        return this.isCombined(q.layer)
          ? { formula: this.scaled(this.combinedCore(q)) }
          : {
              chain: mul(partialOf("loss", { ...q, kind: "a" }), partialOf({ ...q, kind: "a" }, { ...q, kind: "z" })),
              formula: mul(ref({ ...q, kind: "da" }), this.slope(q)),
            };
      case "dw":
        return this.parameterGradient({ ...q, kind: "w" }, [q.j], (n) => this.previous(n.step, n.layer, n.sample, q.i));
      case "db":
        return this.parameterGradient({ ...q, kind: "b" }, q.j === undefined ? this.units(q.layer) : [q.j], () => undefined);
      case "dx":
        return {
          chain: sum(
            this.fanOut({ ...q, layer: -1, j: q.i }, (n) =>
              mul(partialOf("loss", { ...n, kind: "z" }), partialOf({ ...n, kind: "z" }, { kind: "x", sample: q.sample, i: q.i })),
            ),
          ),
          formula: sum(this.fanOut({ ...q, layer: -1, j: q.i }, (n, w) => mul(ref({ ...n, kind: "dz" }), ref(w)))),
        };
    }
  }

  private units(layer: number): number[] {
    return Array.from({ length: this.problem.network.layers[layer]!.units }, (_, j) => j);
  }

  private samples(): number[] {
    return Array.from({ length: this.batch }, (_, s) => s);
  }

  /** The input to neuron i of `layer`: a network input for the first layer, else the previous activation. */
  private previous(step: number, layer: number, sample: number, i: number): Quantity {
    return layer === 0 ? { kind: "x", sample, i } : { kind: "a", step, layer: layer - 1, sample, j: i };
  }

  private preActivation(n: Neuron): Expr {
    const layer = this.problem.network.layers[n.layer]!;
    const inputs = n.layer === 0 ? this.problem.network.inputs : this.problem.network.layers[n.layer - 1]!.units;
    const terms = Array.from({ length: inputs }, (_, i) =>
      mul(ref({ kind: "w", step: n.step, layer: n.layer, j: n.j, i }), ref(this.previous(n.step, n.layer, n.sample, i))),
    );
    if (layer.bias.mode !== "none") terms.push(ref({ kind: "b", step: n.step, layer: n.layer, j: layer.bias.mode === "shared" ? undefined : n.j }));
    return sum(terms);
  }

  private activation(n: Neuron): Expr {
    const z = ref({ ...n, kind: "z" });
    const name = this.problem.network.layers[n.layer]!.activation;
    switch (name) {
      case "identity":
        return z;
      case "softmax":
        return { kind: "softmax", j: n.j, logits: this.units(n.layer).map((j) => ref({ ...n, kind: "z", j })) };
      default:
        return fn(name, z);
    }
  }

  /** f′(z) of one neuron, written with its z or a as the activation's rule writes it. */
  private slope(n: Neuron): Expr {
    const rule = ACTIVATION_RULES[this.problem.network.layers[n.layer]!.activation];
    if (!isElementwiseRule(rule)) throw new RangeError("softmax is differentiated together with cross-entropy");
    return rule.derivative(ref({ ...n, kind: "z" }), ref({ ...n, kind: "a" }));
  }

  private sampleLoss(step: number, sample: number): Expr {
    return LOSS_RULES[this.problem.loss.type].sample({
      units: this.units(this.last),
      a: (j) => ref({ kind: "a", step, layer: this.last, sample, j }),
      t: (j) => ref({ kind: "t", sample, j }),
      target: (j) => this.problem.data.targets[sample]![j]!,
    });
  }

  private loss(step: number): Expr {
    if (this.batch === 1) return this.sampleLoss(step, 0);
    const total = sum(this.samples().map((sample) => ref({ kind: "sampleLoss", step, sample })));
    return this.problem.loss.reduction === "mean" ? div(total, num(this.batch)) : total;
  }

  /** Under `mean` every gradient of the reduced loss carries 1/batch. */
  private get averaged(): boolean {
    return this.problem.loss.reduction === "mean" && this.batch > 1;
  }

  private scaled(e: Expr): Expr {
    return this.averaged ? div(e, num(this.batch)) : e;
  }

  /** ∂ℓ/∂a of one output neuron for one sample, before the 1/batch of `mean`. */
  private outputGradient(n: Neuron): Expr {
    return LOSS_RULES[this.problem.loss.type].gradient({
      a: ref({ ...n, kind: "a" }),
      t: ref({ kind: "t", sample: n.sample, j: n.j }),
      target: this.problem.data.targets[n.sample]![n.j]!,
      units: this.problem.network.layers[this.last]!.units,
    });
  }

  /** Softmax with cross-entropy, sigmoid with binary cross-entropy: ∂ℓ/∂z in one simplified formula. */
  private isCombined(layer: number): boolean {
    const loss = LOSSES[this.problem.loss.type];
    return layer === this.last && loss.combined !== undefined && loss.requires === this.problem.network.layers[layer]!.activation;
  }

  private combinedCore(n: Neuron): Expr {
    const a = ref({ ...n, kind: "a" });
    const t = ref({ kind: "t", sample: n.sample, j: n.j });
    const targets = this.problem.data.targets[n.sample]!;
    const total = targets.reduce((s, v) => s + v, 0);
    if (this.problem.loss.type === "binary_cross_entropy" || Math.abs(total - 1) < 1e-12) return sub(a, t);
    return sub(mul(a, sum(this.units(this.last).map((k) => ref({ kind: "t", sample: n.sample, j: k })))), t);
  }

  /** ∂L/∂z of one neuron written out: inline at the output layer, through ∂L/∂a elsewhere. Undivided by the batch at the output. */
  private deltaExpanded(n: Neuron): Expr {
    if (this.isCombined(n.layer)) return this.combinedCore(n);
    if (n.layer === this.last) return mul(this.outputGradient(n), this.slope(n));
    return mul(ref({ ...n, kind: "da" }), this.slope(n));
  }

  private deltaChain(n: Neuron, wrt: Quantity): Expr {
    const z: Quantity = { ...n, kind: "z" };
    // Combined output: ∂L/∂z is one formula. Identity: a = z, so ∂a/∂z = 1 is left out.
    if (this.isCombined(n.layer) || this.problem.network.layers[n.layer]!.activation === "identity") return mul(partialOf("loss", z), partialOf(z, wrt));
    const a: Quantity = { ...n, kind: "a" };
    return mul(partialOf("loss", a), partialOf(a, z), partialOf(z, wrt));
  }

  /**
   * dL/dw = Σ over samples (and, for a shared bias, over neurons) of
   * ∂L/∂z · ∂z/∂w, with ∂L/∂z written out. At the output layer under `mean`
   * the 1/batch is taken out front: the average over the batch.
   */
  private parameterGradient(parameter: Quantity & { kind: "w" | "b" }, neurons: number[], input: (n: Neuron) => Quantity | undefined) {
    const { step, layer } = parameter;
    const paths = this.samples().flatMap((sample) => neurons.map((j): Neuron => ({ step, layer, sample, j })));
    const term = (n: Neuron) => {
      const x = input(n);
      return mul(this.deltaExpanded(n), ...(x ? [ref(x)] : []));
    };
    const chain = sum(paths.map((n) => this.deltaChain(n, parameter)));
    const body = sum(paths.map(term));
    const averagedHere = this.averaged && layer === this.last;
    return { chain, formula: averagedHere ? mul(div(num(1), num(this.batch)), body) : body };
  }

  /** Σ over the neurons of the next layer that `n`'s value feeds: the sum over paths. */
  private fanOut<T>(n: { step: number; layer: number; sample: number; j: number }, term: (next: Neuron, weight: Quantity) => T): T[] {
    const next = n.layer + 1;
    return this.units(next).map((k) => term({ step: n.step, layer: next, sample: n.sample, j: k }, { kind: "w", step: n.step, layer: next, j: k, i: n.j }));
  }

  /** w ← w − η·dL/dw: the parameter after step `q.step − 1`. */
  private update(q: Quantity & { kind: "w" | "b" }): Expr {
    const before = { ...q, step: q.step - 1 } as Quantity;
    const gradient = (q.kind === "w" ? { ...q, kind: "dw", step: q.step - 1 } : { ...q, kind: "db", step: q.step - 1 }) as Quantity;
    return sub(ref(before), mul(ref({ kind: "eta" }), ref(gradient)));
  }

  /** Checks a derivation against the trace: its formula must evaluate to the traced value. */
  evaluate(d: Derivation): number {
    return evaluate(d.formula, (q) => this.values.of(q));
  }
}
