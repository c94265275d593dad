import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import katex from "katex";
import * as ort from "onnxruntime-node";
import { describe, expect, test } from "vitest";
import { ACTIVATIONS, type ElementwiseName } from "../src/engine/activations.js";
import { LOSS_NAMES, LOSSES, type LossName } from "../src/engine/losses.js";
import { fromRows, type DType } from "../src/engine/matrix.js";
import { buildNetwork } from "../src/engine/network.js";
import { Deriver } from "../src/explain/derive.js";
import { evaluate, ref, type Expr } from "../src/explain/expr.js";
import { erf } from "../src/engine/special.js";
import { computedQuantities } from "../src/explain/order.js";
import { symbol } from "../src/explain/names.js";
import type { Quantity } from "../src/explain/quantity.js";
import { exportOnnx } from "../src/io/onnx-export.js";
import { importOnnx } from "../src/io/onnx-import.js";
import { exportTfjs } from "../src/io/tfjs-export.js";
import { importTfjs } from "../src/io/tfjs-import.js";
import { parseProblem, solve, withinTolerance, type Problem } from "../src/index.js";
import { InputError } from "../src/input-error.js";
import { renderExpr, type Leaves } from "../src/render/math.js";
import { ACTIVATION_RULES, ELEMENTWISE_NAMES } from "../src/rules/activations.js";
import { FUNCTION_NAMES, FUNCTIONS } from "../src/rules/functions.js";
import { LOSS_RULES } from "../src/rules/losses.js";
import { engineOutput, maxDifference, randomBatch, randomSpec } from "./io/fixtures.js";
import { checkSheet } from "./xlsx-oracle.js";

/**
 * One test over the rules table: every activation and every loss in
 * src/rules/ runs through the same checks on every surface, so a new entry
 * is tested by adding it. The kernels' float32 passes of every element-wise
 * entry are checked against the engine on every SIMD route by
 * src/kernels/epilogues.test.ts, which enumerates the same table.
 */

const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));
const Z_GRID = Array.from({ length: 241 }, (_, i) => -6 + i * 0.05 + 0.0123);

/** A 2-3-2 exercise with `hidden` in the hidden layer and `loss` at the output (with the activation it requires). */
function exercise(hidden: ElementwiseName, loss: LossName): Problem {
  const output = LOSSES[loss].requires ?? "identity";
  const targets =
    loss === "cross_entropy"
      ? [
          [1, 0],
          [0.25, 0.75],
        ]
      : loss === "binary_cross_entropy"
        ? [
            [1, 0],
            [0.3, 0.9],
          ]
        : [
            [0.3, -0.2],
            [1.5, 0.1],
          ];
  return parseProblem(
    JSON.stringify({
      network: {
        inputs: 2,
        layers: [
          {
            units: 3,
            activation: hidden,
            weights: [
              [0.5, -1.2],
              [0.3, 0.8],
              [-0.9, 0.4],
            ],
            bias: [-0.1, 0.2, 0.05],
          },
          {
            units: 2,
            activation: output,
            weights: [
              [1.1, -0.7, 0.2],
              [0.4, 0.9, -0.6],
            ],
            bias: 0.1,
          },
        ],
      },
      loss: { type: loss, reduction: "mean" },
      data: {
        inputs: [
          [1, -2],
          [0.5, 0.25],
        ],
        targets,
      },
      training: { optimizer: "sgd", learningRate: 0.1, steps: 2 },
    }),
  );
}

/** Every derivation of the exercise evaluates to the value in its trace. */
function derivationsAgree(problem: Problem): string[] {
  const trace = solve(problem);
  const deriver = new Deriver(problem, trace);
  return computedQuantities(problem).flatMap((q) => {
    const d = deriver.derive(q)!;
    const got = deriver.evaluate(d);
    return withinTolerance(got, d.value) ? [] : [`${JSON.stringify(q)}: formula ${got}, trace ${d.value}`];
  });
}

/** KaTeX parses every LaTeX formula of the exercise's derivations, with names and with numbers. */
function latexOfDerivations(problem: Problem): string[] {
  const trace = solve(problem);
  const deriver = new Deriver(problem, trace);
  const leaves = (value?: (q: Quantity) => number): Leaves => ({
    dialect: "latex",
    decimals: 4,
    name: (q) => symbol(q.kind === "sampleLoss" || q.kind === "loss" ? "L" : q.kind, "j"),
    loss: symbol("L"),
    ...(value ? { value } : {}),
  });
  return computedQuantities(problem).flatMap((q) => {
    const d = deriver.derive(q)!;
    return [
      renderExpr(d.formula, leaves()),
      renderExpr(
        d.formula,
        leaves((x) => deriver.values.of(x)),
      ),
    ];
  });
}

function parsesInKatex(latex: string): void {
  expect(() => katex.renderToString(latex, { throwOnError: true, displayMode: true }), latex).not.toThrow();
}

/** The codes the AssemblyScript kernels declare, by constant name. */
function kernelConstants(): Map<string, number> {
  const source = readFileSync(new URL("../src/kernels/assembly/activation.ts", import.meta.url), "utf8");
  return new Map([...source.matchAll(/export const ([A-Z_]+): i32 = (\d+);/g)].map((m) => [m[1]!, Number(m[2])]));
}

async function runOrt(bytes: Uint8Array, x: readonly (readonly number[])[], dtype: DType): Promise<Float32Array | Float64Array> {
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  const flat = x.flat();
  const tensor = new ort.Tensor(dtype, dtype === "float64" ? Float64Array.from(flat) : Float32Array.from(flat), [x.length, x[0]!.length]);
  const outputs = await session.run({ input: tensor });
  return outputs[session.outputNames[0]!]!.data as Float32Array | Float64Array;
}

async function runTfjs(modelJson: string, shard: Uint8Array, x: number[][]): Promise<Float32Array> {
  const json = JSON.parse(modelJson) as { modelTopology: tf.io.ModelJSON["modelTopology"]; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  const weightData = shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength) as ArrayBuffer;
  const model = await tf.loadLayersModel({
    load: () => Promise.resolve({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData }),
  });
  return tf.tidy(() => (model.predict(tf.tensor2d(x)) as tf.Tensor).dataSync() as Float32Array);
}

describe.each(ELEMENTWISE_NAMES.map((name) => ({ name, rule: ACTIVATION_RULES[name] })))("activation $name", ({ name, rule }) => {
  test("its slope is the derivative of its value (central differences in float64, away from a kink)", () => {
    const h = 1e-6;
    for (const z of Z_GRID) {
      if (rule.kink !== undefined && Math.abs(z - rule.kink) < 2 * h) continue;
      const numeric = (rule.value(z + h) - rule.value(z - h)) / (2 * h);
      expect(Math.abs(rule.slope(z, rule.value(z)) - numeric), `z = ${z}`).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(numeric)));
    }
  });

  test("the derivation's f′ evaluates to its slope bit for bit, and the engine's passes equal its rule bit for bit", () => {
    const zq: Quantity = { kind: "z", step: 0, layer: 0, sample: 0, j: 0 },
      aq: Quantity = { kind: "a", step: 0, layer: 0, sample: 0, j: 0 };
    const derivative: Expr = rule.derivative(ref(zq), ref(aq));
    const z = Float64Array.from([...Z_GRID, 0, -0, 1e-300, -1e-300, 40, -40, 700, -700, NaN]);
    for (const [dtype, round] of [
      ["float64", (v: number) => v],
      ["float32", Math.fround],
    ] as const) {
      const Z = fromRows(dtype, [Array.from(z, round)]),
        A = fromRows(dtype, [Array.from(z, () => 0)]);
      ACTIVATIONS[name].forward(Z, A);
      const dA = fromRows(dtype, [Array.from(z, (_, i) => round(((i % 7) - 3) * 0.37))]),
        dZ = fromRows(dtype, [Array.from(z, () => 0)]);
      ACTIVATIONS[name].backward(Z, A, dA, dZ);
      Z.data.forEach((zi, i) => {
        expect(same(A.data[i]!, round(rule.value(zi))), `${dtype} f(${zi})`).toBe(true);
        const s = rule.slope(zi, A.data[i]!);
        // ReLU's blocked gradient is 0, not −0 or NaN: the engine passes or blocks da instead of multiplying.
        const want = rule.kink !== undefined && s === 0 ? 0 : round(dA.data[i]! * s);
        expect(same(dZ.data[i]!, want), `${dtype} dz at ${zi}`).toBe(true);
        const shown = evaluate(derivative, (q) => (q.kind === "z" ? zi : A.data[i]!));
        expect(same(shown, s), `f′(${zi}) as written: ${shown}, rule ${s}`).toBe(true);
      });
    }
  });

  test("its kernel code is the AssemblyScript constant of its name", () => {
    expect(kernelConstants().get(name.toUpperCase())).toBe(rule.kernel);
    const codes = ELEMENTWISE_NAMES.map((n) => ACTIVATION_RULES[n].kernel);
    expect(new Set(codes).size).toBe(codes.length);
  });

  test.each(["float32", "float64"] as const)("ONNX export runs in onnxruntime (%s) and reads back as the same activation", async (dtype) => {
    const spec = randomSpec(ELEMENTWISE_NAMES.indexOf(name) + 1, [3, 5, 4, 2], [name, name, "identity"], "perNeuron");
    const x = randomBatch(7, 6, 3);
    const bytes = exportOnnx(buildNetwork(spec, dtype));
    if (dtype === "float64" && rule.onnx.floatOnlyInOnnxRuntime) {
      // The limit the table records: when onnxruntime gains the double kernel, this fails and the flag goes.
      await expect(runOrt(bytes, x, dtype)).rejects.toThrow(/implementation|kernel/);
    } else {
      // onnxruntime's double GELU (tanh) holds its constants in float32: 1e-8, not 1e-12.
      expect(maxDifference(await runOrt(bytes, x, dtype), engineOutput(spec, dtype, x))).toBeLessThanOrEqual(dtype === "float64" ? 1e-8 : 1e-5);
    }
    expect(importOnnx(bytes).spec.layers.map((l) => l.activation)).toEqual([name, name, "identity"]);
  });

  test("TF.js export loads in @tensorflow/tfjs with the same outputs and reads back as the same activation", async () => {
    const spec = randomSpec(ELEMENTWISE_NAMES.indexOf(name) + 11, [3, 5, 2], [name, "identity"], "perNeuron");
    const x = randomBatch(8, 6, 3);
    if ("unsupported" in rule.keras) {
      expect(() => exportTfjs(spec, "float32")).toThrow(InputError);
      return;
    }
    const files = exportTfjs(spec, "float32");
    expect(maxDifference(await runTfjs(files.modelJson, files.weights, x), engineOutput(spec, "float32", x))).toBeLessThanOrEqual(1e-5);
    expect(importTfjs(files.modelJson, () => files.weights).spec.layers.map((l) => l.activation)).toEqual([name, "identity"]);
  });

  test("an exercise with it: derivations evaluate to the trace, HyperFormula recomputes the sheet, KaTeX parses every formula", async () => {
    const problem = exercise(name, "mse");
    expect(derivationsAgree(problem)).toEqual([]);
    await checkSheet(problem);
    for (const latex of [rule.symbol.latex, rule.formula.latex, ...latexOfDerivations(problem)]) parsesInKatex(latex);
  });
});

describe("the softmax entry", () => {
  test("its formulas parse in KaTeX, and its exercise's derivations evaluate to the trace", () => {
    for (const latex of [ACTIVATION_RULES.softmax.symbol.latex, ACTIVATION_RULES.softmax.formula.latex]) parsesInKatex(latex);
    expect(derivationsAgree(exercise("tanh", "cross_entropy"))).toEqual([]);
  });
});

describe.each(LOSS_NAMES.map((name) => ({ name, rule: LOSS_RULES[name], loss: LOSSES[name] })))("loss $name", ({ name, rule, loss }) => {
  /** A few outputs and targets, as the loss's output activation can produce them. */
  const samples = Array.from({ length: 40 }, (_, s) => {
    const z = [Math.sin(s + 1) * 3, Math.cos(s * 1.7) * 2, Math.sin(s * 0.3) - 0.5];
    const a = loss.requires === "softmax" ? softmaxOf(z) : loss.requires === "sigmoid" ? z.map((v) => 1 / (1 + Math.exp(-v))) : z;
    const t = loss.requires === "softmax" ? [0, 1, 0] : loss.requires === "sigmoid" ? [1, 0, 0.4] : [0.5, -1, 0.25 + s * 0.1];
    return { z, a, t };
  });

  test("its gradient is the derivative of its sample loss (central differences in float64, away from a kink)", () => {
    const h = 1e-6;
    for (const { z, a, t } of samples) {
      const g = new Float64Array(a.length);
      loss.gradient(Float64Array.from(a), Float64Array.from(t), g);
      if (loss.requires) {
        // The engine computes these from z (log-sum-exp): ∂ℓ/∂a through the activation's Jacobian, the combined ∂ℓ/∂z, and ℓ's finite difference in z agree.
        const activation = ACTIVATIONS[loss.requires];
        const Z = fromRows("float64", [z]),
          A = fromRows("float64", [z.map(() => 0)]);
        activation.forward(Z, A);
        const through = fromRows("float64", [z.map(() => 0)]);
        activation.backward(Z, A, fromRows("float64", [Array.from(g)]), through);
        const combined = new Float64Array(z.length);
        loss.combined!.gradient(A.data, Float64Array.from(t), combined);
        z.forEach((zj, j) => {
          const at = (v: number) => {
            const shifted = fromRows("float64", [z.map((x, k) => (k === j ? v : x))]),
              out = fromRows("float64", [z.map(() => 0)]);
            activation.forward(shifted, out);
            return loss.sample(out.data, shifted.data, Float64Array.from(t));
          };
          const numeric = (at(zj + h) - at(zj - h)) / (2 * h);
          expect(Math.abs(combined[j]! - numeric), `∂ℓ/∂z_${j} at z = ${zj}`).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(numeric)));
          expect(Math.abs(through.data[j]! - combined[j]!), `∂ℓ/∂a·∂a/∂z_${j}`).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(combined[j]!)));
        });
        continue;
      }
      a.forEach((aj, j) => {
        if (rule.kink !== undefined && Math.abs(aj - t[j]! - rule.kink) < 2 * h) return;
        const at = (v: number) => loss.sample(Float64Array.from(a.map((x, k) => (k === j ? v : x))), Float64Array.from(z), Float64Array.from(t));
        const numeric = (at(aj + h) - at(aj - h)) / (2 * h);
        expect(Math.abs(g[j]! - numeric), `∂ℓ/∂a_${j} at a = ${aj}`).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(numeric)));
      });
    }
  });

  test("the derivation's ℓ and ∂ℓ/∂a evaluate to the engine's", () => {
    for (const { z, a, t } of samples) {
      const units = a.map((_, j) => j);
      const aq = (j: number): Quantity => ({ kind: "a", step: 0, layer: 0, sample: 0, j }),
        tq = (j: number): Quantity => ({ kind: "t", sample: 0, j });
      const value = (q: Quantity) => (q.kind === "a" ? a[q.j]! : q.kind === "t" ? t[q.j]! : NaN);
      const written = evaluate(rule.sample({ units, a: (j) => ref(aq(j)), t: (j) => ref(tq(j)), target: (j) => t[j]! }), value);
      const engine = loss.sample(Float64Array.from(a), Float64Array.from(z), Float64Array.from(t));
      // Cross-entropies are computed from z (log-sum-exp) in the engine and from a in the derivation: equal to rounding.
      if (loss.requires) expect(withinTolerance(written, engine), `ℓ ${written} vs ${engine}`).toBe(true);
      else expect(same(written, engine), `ℓ ${written} vs ${engine}`).toBe(true);
      const g = new Float64Array(a.length);
      loss.gradient(Float64Array.from(a), Float64Array.from(t), g);
      units.forEach((j) => {
        const shown = evaluate(rule.gradient({ a: ref(aq(j)), t: ref(tq(j)), target: t[j]!, units: a.length }), value);
        expect(same(shown, g[j]!), `∂ℓ/∂a_${j}: ${shown} vs ${g[j]}`).toBe(true);
      });
    }
  });

  test("an exercise with it: derivations evaluate to the trace, HyperFormula recomputes the sheet, KaTeX parses every formula", async () => {
    const problem = exercise("tanh", name);
    expect(derivationsAgree(problem)).toEqual([]);
    await checkSheet(problem);
    for (const latex of [rule.formula.latex, rule.derivative.latex, ...(rule.combined ? [rule.combined.latex] : []), ...latexOfDerivations(problem)])
      parsesInKatex(latex);
  });
});

describe("the functions a derivation applies", () => {
  test.each(FUNCTION_NAMES.map((name) => ({ name })))("$name: its symbol parses in KaTeX and its value is finite where defined", ({ name }) => {
    parsesInKatex(`${FUNCTIONS[name].symbol.latex}(x)`);
    expect(Number.isFinite(FUNCTIONS[name].value(0.5))).toBe(true);
  });

  test("erf, which GELU needs and JavaScript lacks, is within 4 ulp of Python's math.erf", () => {
    // math.erf of CPython 3.11 (libm), printed with repr.
    const reference: [number, number][] = [
      [1e-10, 1.1283791670955126e-10],
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [0.9999, 0.8426592780487595],
      [1, 0.8427007929497149],
      [1.5, 0.9661051464753108],
      [2.13, 0.9974070232507334],
      [2.5, 0.999593047982555],
      [3, 0.9999779095030014],
      [4.2, 0.9999999971445058],
      [5.5, 0.9999999999999927],
      [-0.6146, -0.6152489391387537],
      [-1.3797, -0.9489656056358589],
    ];
    for (const [x, want] of reference) expect(Math.abs(erf(x) - want), `erf(${x})`).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(want));
    expect(erf(0)).toBe(0);
    expect(erf(40)).toBe(1);
    expect(erf(-40)).toBe(-1);
    expect(Number.isNaN(erf(NaN))).toBe(true);
  });
});

function softmaxOf(z: readonly number[]): number[] {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
}
