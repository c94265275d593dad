import { ACTIVATIONS } from "../engine/activations.js";
import { LOSSES } from "../engine/losses.js";
import type { Problem } from "../problem/problem.js";
import type { Grid, Trace, TraceFinal, TraceStep, WrittenBias } from "../solve/trace.js";
import { formatNumber, typographic } from "./number.js";

export interface TextOptions {
  /** Decimal places shown (the trace keeps full precision). */
  readonly decimals?: number;
}

/** A matrix as aligned rows, each row in brackets, continued under `indent`. */
function grid(rows: Grid, decimals: number, indent: string): string {
  const cells = rows.map((row) => row.map((v) => typographic(formatNumber(v, decimals))));
  const width = Math.max(1, ...cells.flat().map((c) => c.length));
  return cells.map((row) => `[ ${row.map((c) => c.padStart(width)).join("  ")} ]`).join(`\n${indent}`);
}

function bias(value: WrittenBias, decimals: number, indent: string): string {
  if (value === null) return "none";
  if (typeof value === "number") return `${typographic(formatNumber(value, decimals))} (shared)`;
  return grid([value], decimals, indent);
}

/** Labelled quantities of one layer, one label per line, labels aligned. */
function block(title: string, entries: readonly [string, (indent: string) => string][]): string {
  const labelWidth = Math.max(...entries.map(([label]) => label.length));
  const lines = entries.map(([label, render]) => {
    const indent = " ".repeat(4 + labelWidth + 3);
    return `    ${label.padEnd(labelWidth)} = ${render(indent)}`;
  });
  return [`  ${title}`, ...lines].join("\n");
}

function activationLabel(problem: Problem, k: number): string {
  return ACTIVATIONS[problem.network.layers[k]!.activation].label;
}

function layerTitle(problem: Problem, k: number): string {
  return `layer ${k} (${activationLabel(problem, k)})`;
}

function forwardSection(problem: Problem, entry: TraceStep | TraceFinal, d: number): string[] {
  return [
    "Forward",
    ...entry.forward.map((f, k) => block(layerTitle(problem, k), [["z", (i) => grid(f.z, d, i)], ["a", (i) => grid(f.a, d, i)]])),
    `Loss  L = ${typographic(formatNumber(entry.loss, d))}` +
      (entry.losses.length > 1 ? `  (${problem.loss.reduction} of ${entry.losses.map((l) => typographic(formatNumber(l, d))).join(", ")})` : ""),
  ];
}

function stepSection(problem: Problem, step: TraceStep, d: number): string[] {
  const lines = [`── Step ${step.step} ──`, ...forwardSection(problem, step, d), "Backward"];
  for (let k = step.backward.length - 1; k >= 0; k--) {
    const b = step.backward[k]!;
    lines.push(
      block(layerTitle(problem, k), [
        ["dL/da", (i) => grid(b.da, d, i)],
        ["dL/dz", (i) => grid(b.dz, d, i)],
        ["dL/dW", (i) => grid(b.weights, d, i)],
        ["dL/db", (i) => bias(b.bias, d, i)],
      ]),
    );
  }
  if (step.inputGradients) lines.push(block("input", [["dL/dx", (i) => grid(step.inputGradients!, d, i)]]));
  if (step.updated) {
    lines.push(`Update  w ← w − η·dL/dw, η = ${typographic(formatNumber(problem.training.learningRate ?? 0, d))}`);
    step.updated.forEach((u, k) => {
      lines.push(block(layerTitle(problem, k), [["W", (i) => grid(u.weights, d, i)], ["b", (i) => bias(u.bias, d, i)]]));
    });
  }
  return lines;
}

/** A readable per-step report of a trace: forward values, loss, gradients, updates. */
export function renderText(problem: Problem, trace: Trace, options: TextOptions = {}): string {
  const d = options.decimals ?? 4;
  const { network, loss, data, training } = problem;
  const architecture = [`${network.inputs} input${network.inputs === 1 ? "" : "s"}`, ...network.layers.map((l, k) => `${l.units} ${activationLabel(problem, k)}`)];
  const lines = [
    ...(problem.title ? [problem.title, ""] : []),
    `Network   ${architecture.join(" → ")}`,
    `Loss      ${LOSSES[loss.type].label} ${LOSSES[loss.type].formula.text}, ${loss.reduction} over a batch of ${data.inputs.length}`,
    `Training  ${training.steps === 0 ? "forward and backward only (0 steps)" : `SGD, η = ${typographic(formatNumber(training.learningRate ?? 0, d))}, ${training.steps} step${training.steps === 1 ? "" : "s"}`}`,
    "",
  ];
  for (const step of trace.steps) lines.push(...stepSection(problem, step, d), "");
  if (trace.final) lines.push("── After the last step ──", ...forwardSection(problem, trace.final, d), "");
  return lines.join("\n");
}
