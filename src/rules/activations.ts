import { ELU_ALPHA, GELU_TANH_CUBIC, LEAKY_RELU_SLOPE, activate, slopeOf, type ActivationName, type ElementwiseName } from "../engine/activations.js";
import type { Formula } from "../engine/formula.js";
import { fn, mul, num, pow, slope, sub, sum, type Expr } from "../explain/expr.js";
import { sigmoidSheet } from "./functions.js";

/**
 * The activations, one entry each: everything gradstep knows about one is
 * here, and every surface reads it: the float64 rule the engine computes
 * (engine/activations.ts keeps a switch over the same functions for its hot
 * loops), the derivative a derivation writes, its names, its spreadsheet
 * formula, its ONNX and Keras/TF.js names, and its code in the WebAssembly
 * kernels. test/rules.test.ts walks every entry over every surface.
 */

/**
 * How an activation is written in ONNX: one operator (with attributes), or an
 * operator times its input (SiLU = z·σ(z)). Every attribute written here is
 * also the operator's default in ONNX, so a reader takes an absent one as it.
 */
export interface OnnxActivation {
  readonly op: string;
  readonly attributes?: Readonly<Record<string, number | string>>;
  /** The opset that introduced the operator, when it is newer than the exporter's default. */
  readonly opset?: number;
  /** a = z · op(z): written as the operator and a Mul. */
  readonly timesInput?: true;
  /** onnxruntime's CPU kernels implement the operator for float only: a float64 model with it does not load there. */
  readonly floatOnlyInOnnxRuntime?: true;
}

/** How Keras and TensorFlow.js write an activation: a Dense layer's `activation`, or a layer of its own after a linear Dense. */
export type KerasActivation = { readonly activation: string } | { readonly layer: string; readonly config: Readonly<Record<string, number>> };

interface RuleBase {
  readonly name: ActivationName;
  /** Its name in prose. */
  readonly label: string;
  /** How it is applied in a formula: σ(z), ReLU(z). */
  readonly symbol: Formula;
  /** a = f(z), written out with z. */
  readonly formula: Formula;
  readonly onnx: OnnxActivation;
  /** Absent where TensorFlow.js cannot load the activation, with the reason. */
  readonly keras: KerasActivation | { readonly unsupported: string };
}

/** An activation applied neuron by neuron. */
export interface ElementwiseRule extends RuleBase {
  readonly name: ElementwiseName;
  /** f(z) in float64. */
  readonly value: (z: number) => number;
  /** f′(z) in float64, given z and a = f(z). */
  readonly slope: (z: number, a: number) => number;
  /**
   * f′ as a derivation writes it, over the neuron's z and a. Where f′ reads
   * well in z and a (σ: a(1 − a)) it is written so, evaluating to `slope` bit
   * for bit; where it is piecewise it is f′(z), shown by its value.
   */
  readonly derivative: (z: Expr, a: Expr) => Expr;
  /** f(x) as a spreadsheet formula: `x` as written, `atom` parenthesized where a sign in front would misread it. */
  readonly sheet: (x: string, atom: string) => string;
  /** f′(x) as a spreadsheet formula, for the activations whose derivative is written f′(z). */
  readonly sheetSlope?: (x: string, atom: string) => string;
  /** Its code in the kernels: the constant of the same name in kernels/assembly/activation.ts. */
  readonly kernel: number;
  /** Where f′ jumps (ReLU's 0), if anywhere: a finite difference straddling it measures neither side. */
  readonly kink?: number;
  /** The weight initialization `gradstep train` uses under it by default: He for ReLU's kin, Xavier for the symmetric ones. */
  readonly initializer: "he" | "xavier";
}

/** Softmax couples a row: the engine, derivations and kernels treat it apart. */
export interface RowRule extends RuleBase {
  readonly name: "softmax";
}

export type ActivationRule = ElementwiseRule | RowRule;

export function isElementwiseRule(rule: ActivationRule): rule is ElementwiseRule {
  return rule.name !== "softmax";
}

/** The float64 rule is the engine's: one set of functions, read by both. */
const computed = (name: ElementwiseName) => ({ value: (z: number) => activate(name, z), slope: (z: number, a: number) => slopeOf(name, z, a) });
/** f′(z), written by name and shown by its value. */
const byName = (name: ElementwiseName) => (z: Expr) => slope(name, z);

const t = (text: string, latex: string): Formula => ({ text, latex });

export const ACTIVATION_RULES: { readonly [N in ActivationName]: N extends "softmax" ? RowRule : ElementwiseRule } = {
  identity: {
    name: "identity",
    label: "identity",
    symbol: t("id", "\\operatorname{id}"),
    formula: t("z", "z"),
    ...computed("identity"),
    derivative: () => num(1),
    sheet: (x) => x,
    onnx: { op: "Identity" },
    keras: { activation: "linear" },
    kernel: 0,
    initializer: "xavier",
  },
  relu: {
    name: "relu",
    label: "ReLU",
    symbol: t("ReLU", "\\operatorname{ReLU}"),
    formula: t("max(0, z)", "\\max(0, z)"),
    ...computed("relu"),
    derivative: byName("relu"),
    sheet: (x) => `MAX(0,${x})`,
    sheetSlope: (x) => `IF(${x}>0,1,0)`,
    kink: 0,
    onnx: { op: "Relu" },
    keras: { activation: "relu" },
    kernel: 1,
    initializer: "he",
  },
  sigmoid: {
    name: "sigmoid",
    label: "sigmoid",
    symbol: t("σ", "\\sigma"),
    formula: t("1 / (1 + e^(−z))", "\\frac{1}{1 + e^{-z}}"),
    ...computed("sigmoid"),
    derivative: (_z, a) => mul(a, sub(num(1), a)),
    sheet: sigmoidSheet,
    onnx: { op: "Sigmoid" },
    keras: { activation: "sigmoid" },
    kernel: 2,
    initializer: "xavier",
  },
  tanh: {
    name: "tanh",
    label: "tanh",
    symbol: t("tanh", "\\tanh"),
    formula: t("tanh(z)", "\\tanh(z)"),
    ...computed("tanh"),
    derivative: (_z, a) => sub(num(1), pow(a, 2)),
    sheet: (x) => `TANH(${x})`,
    onnx: { op: "Tanh" },
    keras: { activation: "tanh" },
    kernel: 3,
    initializer: "xavier",
  },
  softmax: {
    name: "softmax",
    label: "softmax",
    symbol: t("softmax", "\\operatorname{softmax}"),
    formula: t("e^(z_j) / Σ_k e^(z_k)", "\\frac{e^{z_j}}{\\sum_k e^{z_k}}"),
    onnx: { op: "Softmax", attributes: { axis: -1 } },
    keras: { activation: "softmax" },
  },
  leaky_relu: {
    name: "leaky_relu",
    label: "leaky ReLU",
    symbol: t("LReLU", "\\operatorname{LReLU}"),
    formula: t(`z if z > 0, else ${LEAKY_RELU_SLOPE}·z`, `\\begin{cases} z & z > 0 \\\\ ${LEAKY_RELU_SLOPE}\\,z & z \\le 0 \\end{cases}`),
    ...computed("leaky_relu"),
    derivative: byName("leaky_relu"),
    sheet: (x, atom) => `IF(${x}>0,${x},${LEAKY_RELU_SLOPE}*${atom})`,
    sheetSlope: (x) => `IF(${x}>0,1,${LEAKY_RELU_SLOPE})`,
    kink: 0,
    onnx: { op: "LeakyRelu", attributes: { alpha: LEAKY_RELU_SLOPE }, floatOnlyInOnnxRuntime: true },
    keras: { layer: "LeakyReLU", config: { alpha: LEAKY_RELU_SLOPE } },
    kernel: 4,
    initializer: "he",
  },
  elu: {
    name: "elu",
    label: "ELU",
    symbol: t("ELU", "\\operatorname{ELU}"),
    formula: t("z if z > 0, else e^z − 1", "\\begin{cases} z & z > 0 \\\\ e^{z} - 1 & z \\le 0 \\end{cases}"),
    ...computed("elu"),
    derivative: byName("elu"),
    sheet: (x) => `IF(${x}>0,${x},${ELU_ALPHA}*(EXP(${x})-1))`,
    sheetSlope: (x) => `IF(${x}>0,1,${ELU_ALPHA}*EXP(${x}))`,
    onnx: { op: "Elu", attributes: { alpha: ELU_ALPHA }, floatOnlyInOnnxRuntime: true },
    keras: { activation: "elu" },
    kernel: 5,
    initializer: "he",
  },
  softplus: {
    name: "softplus",
    label: "softplus",
    symbol: t("softplus", "\\operatorname{softplus}"),
    formula: t("log(1 + e^z)", "\\log(1 + e^{z})"),
    ...computed("softplus"),
    // softplus′ = σ: written so, it evaluates to the engine's slope exactly.
    derivative: (z) => fn("sigmoid", z),
    sheet: (x) => `MAX(${x},0)+LN(1+EXP(-ABS(${x})))`,
    onnx: { op: "Softplus", floatOnlyInOnnxRuntime: true },
    keras: { activation: "softplus" },
    kernel: 6,
    initializer: "he",
  },
  silu: {
    name: "silu",
    label: "SiLU (swish)",
    symbol: t("SiLU", "\\operatorname{SiLU}"),
    formula: t("z·σ(z)", "z\\,\\sigma(z)"),
    ...computed("silu"),
    // σ(z)·(1 + z·(1 − σ(z))), in the engine's order of operations.
    derivative: (z) => mul(fn("sigmoid", z), sum([num(1), mul(z, sub(num(1), fn("sigmoid", z)))])),
    sheet: (x, atom) => `${atom}*${sigmoidSheet(x, atom)}`,
    // onnxruntime fuses Sigmoid·Mul into a float-only QuickGelu.
    onnx: { op: "Sigmoid", timesInput: true, floatOnlyInOnnxRuntime: true },
    keras: { activation: "swish" },
    kernel: 7,
    initializer: "he",
  },
  gelu: {
    name: "gelu",
    label: "GELU",
    symbol: t("GELU", "\\operatorname{GELU}"),
    formula: t("z·Φ(z) = z/2·(1 + erf(z/√2))", "z\\,\\Phi(z) = \\frac{z}{2}\\left(1 + \\operatorname{erf}\\left(\\frac{z}{\\sqrt{2}}\\right)\\right)"),
    ...computed("gelu"),
    // GELU′ = Φ(z) + z·φ(z).
    derivative: (z) => sum([fn("Phi", z), mul(z, fn("phi", z))]),
    sheet: (_x, atom) => `${atom}*(1+ERF(${atom}/SQRT(2)))/2`,
    onnx: { op: "Gelu", attributes: { approximate: "none" }, opset: 20, floatOnlyInOnnxRuntime: true },
    keras: { activation: "gelu" },
    kernel: 8,
    initializer: "he",
  },
  gelu_tanh: {
    name: "gelu_tanh",
    label: "GELU (tanh approximation)",
    symbol: t("GELU_tanh", "\\operatorname{GELU}_{\\tanh}"),
    formula: t(
      `z/2·(1 + tanh(√(2/π)·(z + ${GELU_TANH_CUBIC}·z³)))`,
      `\\frac{z}{2}\\left(1 + \\tanh\\left(\\sqrt{2/\\pi}\\,(z + ${GELU_TANH_CUBIC}\\,z^{3})\\right)\\right)`,
    ),
    ...computed("gelu_tanh"),
    derivative: byName("gelu_tanh"),
    sheet: (_x, atom) => `0.5*${atom}*(1+TANH(SQRT(2/PI())*(${atom}+${GELU_TANH_CUBIC}*${atom}^3)))`,
    sheetSlope: (_x, atom) => {
      const th = `TANH(SQRT(2/PI())*(${atom}+${GELU_TANH_CUBIC}*${atom}^3))`;
      return `0.5*(1+${th})+0.5*${atom}*(1-${th}^2)*SQRT(2/PI())*(1+3*${GELU_TANH_CUBIC}*${atom}^2)`;
    },
    onnx: { op: "Gelu", attributes: { approximate: "tanh" }, opset: 20 },
    // tfjs-layers 4.22 registers the class "gelu_new" but looks activations up by their camel-cased name, "geluNew".
    keras: {
      unsupported:
        'TensorFlow.js cannot load the tanh approximation of GELU (tfjs-layers registers it as "gelu_new" but looks up "geluNew"); export ONNX instead',
    },
    kernel: 9,
    initializer: "he",
  },
};

/** The element-wise activations' names, in the table's order. */
export const ELEMENTWISE_NAMES = (Object.keys(ACTIVATION_RULES) as ActivationName[]).filter((n): n is ElementwiseName => n !== "softmax");

/** The activations a hidden layer of `gradstep train` may use: every element-wise one but the identity. */
export type HiddenActivation = Exclude<ElementwiseName, "identity">;
export const HIDDEN_ACTIVATIONS = ELEMENTWISE_NAMES.filter((n): n is HiddenActivation => n !== "identity");
