import type { NotationSpec, Problem } from "../problem/problem.js";
import { parseName, partial, symbol, withSample, type Name } from "./names.js";
import type { Quantity } from "./quantity.js";

/** Indices for the default notation: 1-based, joined without a comma while every index is one digit. */
function indices(...values: number[]): string {
  const oneBased = values.map((v) => v + 1);
  return oneBased.join(oneBased.every((v) => v < 10) ? "" : ",");
}

/**
 * How each quantity of one problem is written: the problem's own names where
 * it gives them, otherwise an indexed notation (layer superscripts, neuron
 * subscripts, 1-based), and ∂L/∂· for derivatives.
 */
export class Notation {
  readonly loss: Name;
  readonly learningRate: Name;
  private readonly spec: NotationSpec;
  private readonly batched: boolean;

  constructor(problem: Problem) {
    this.spec = problem.notation ?? {};
    this.batched = problem.data.inputs.length > 1;
    this.loss = parseName(this.spec.loss ?? "L");
    this.learningRate = parseName(this.spec.learningRate ?? "η");
  }

  private sample(name: Name, sample: number): Name {
    return this.batched ? withSample(name, sample + 1) : name;
  }

  private given(text: string | undefined, fallback: () => Name): Name {
    return text === undefined ? fallback() : parseName(text);
  }

  /** The name of a neuron's value (z or a) without its sample. */
  neuron(kind: "z" | "a", layer: number, j: number): Name {
    return this.given(this.spec.layers?.[layer]?.[kind]?.[j], () => symbol(kind, indices(j), `(${layer + 1})`));
  }

  input(i: number): Name {
    return this.given(this.spec.inputs?.[i], () => symbol("x", indices(i)));
  }

  target(j: number): Name {
    return this.given(this.spec.targets?.[j], () => symbol("t", indices(j)));
  }

  weight(layer: number, j: number, i: number): Name {
    return this.given(this.spec.layers?.[layer]?.weights?.[j]?.[i], () => symbol("w", indices(j, i), `(${layer + 1})`));
  }

  bias(layer: number, j: number | undefined): Name {
    const given = this.spec.layers?.[layer]?.bias;
    const text = typeof given === "string" ? given : j === undefined ? undefined : given?.[j];
    return this.given(text, () => symbol("b", j === undefined ? undefined : indices(j), `(${layer + 1})`));
  }

  /** The name of a quantity (derivatives as ∂L/∂·), with its sample in a batch. */
  name(q: Quantity): Name {
    switch (q.kind) {
      case "x":
        return this.sample(this.input(q.i), q.sample);
      case "t":
        return this.sample(this.target(q.j), q.sample);
      case "eta":
        return this.learningRate;
      case "w":
        return this.weight(q.layer, q.j, q.i);
      case "b":
        return this.bias(q.layer, q.j);
      case "z":
      case "a":
        return this.sample(this.neuron(q.kind, q.layer, q.j), q.sample);
      case "sampleLoss":
        return this.sample(this.loss, q.sample);
      case "loss":
        return this.loss;
      case "da":
      case "dz":
        return partial(this.loss, this.sample(this.neuron(q.kind === "da" ? "a" : "z", q.layer, q.j), q.sample));
      case "dw":
        return partial(this.loss, this.weight(q.layer, q.j, q.i));
      case "db":
        return partial(this.loss, this.bias(q.layer, q.j));
      case "dx":
        return partial(this.loss, this.sample(this.input(q.i), q.sample));
    }
  }
}
