import { computedQuantities } from "../../src/explain/order.js";
import { pathOf, type Quantity } from "../../src/explain/quantity.js";
import { formatPath } from "../../src/json-path.js";

/**
 * The largest exercise the format's checker is held to: 8 inputs, 5 layers
 * of 8 units, a batch of 6, 4 steps; weights from a fixed formula, so the
 * exercise is the same on every run.
 */
export function deepProblem(): object {
  const wave = (k: number) => Math.round(1000 * Math.sin(1.7 * k + 0.3)) / 2000;
  let k = 0;
  const matrix = (rows: number, columns: number) => Array.from({ length: rows }, () => Array.from({ length: columns }, () => wave(k++)));
  return {
    title: "5 layers of 8, batch 6, 4 steps",
    network: {
      inputs: 8,
      layers: [0, 1, 2, 3, 4].map((layer) => ({ units: 8, activation: layer === 4 ? "sigmoid" : "tanh", weights: matrix(8, 8), bias: matrix(1, 8)[0] })),
    },
    loss: { type: "half_squared_error", reduction: "mean" },
    data: { inputs: matrix(6, 8), targets: matrix(6, 8).map((row) => row.map((v) => v + 0.5)) },
    training: { optimizer: "sgd", learningRate: 0.1, steps: 4 },
  };
}

/** 16 wrong hand values spread over the exercise, deepest layers' gradients first: each sends the checker through its slip diagnosis. */
export function deepClaims(problem: Parameters<typeof computedQuantities>[0], valueOf: (q: Quantity) => number): { path: string; printed: string }[] {
  const all = computedQuantities(problem);
  const picks = all.filter((q) => q.kind === "dw" || q.kind === "dz" || q.kind === "w" || q.kind === "da");
  const chosen = Array.from({ length: 16 }, (_, k) => picks[Math.floor(((k * 7 + 3) % 16) * (picks.length / 16))]!);
  return chosen.map((q) => ({ path: formatPath(pathOf(problem, q)), printed: (valueOf(q) * 1.37 + 0.011).toFixed(4) }));
}
