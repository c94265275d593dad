import type { ActivationName } from "../engine/activations.js";
import { english, type Translator, say, verbatim } from "../i18n/translate.js";
import { InputError } from "../input-error.js";
import { ACTIVATION_RULES } from "../rules/activations.js";
import type { NetworkSpec } from "../engine/network.js";
import { biasPerNeuron } from "./model.js";

/**
 * A TensorFlow.js layers model: `model.json` (a Keras Sequential of Dense
 * layers and a weights manifest) and one binary shard of float32 weights.
 * Keras stores a Dense kernel as inputs × units, the transpose of our
 * units × inputs. Load it with `tf.loadLayersModel("…/model.json")`.
 * https://www.tensorflow.org/js/guide/save_load
 */
export const TFJS_MODEL_FILE = "model.json";
export const TFJS_SHARD_FILE = "group1-shard1of1.bin";

/** How Keras writes an activation: a Dense's `activation` name, or a layer of its own after a linear Dense (LeakyReLU). */
export function kerasOf(activation: ActivationName) {
  return ACTIVATION_RULES[activation].keras;
}

export interface TfjsFiles {
  /** The text of model.json. */
  readonly modelJson: string;
  /** The one weights shard, float32 little-endian. */
  readonly weights: Uint8Array;
  /** What changed on the way (a float64 model rounded to float32). */
  readonly notes: readonly string[];
}

/** Writes any network as a tfjs layers model; a float64 model is rounded to float32, the only weight type tfjs stores. */
export function exportTfjs(spec: NetworkSpec, dtype: "float32" | "float64", t: Translator = english): TfjsFiles {
  const layers: unknown[] = [];
  const specs: { name: string; shape: number[]; dtype: "float32" }[] = [];
  const values: number[] = [];
  let inputs = spec.inputs;
  spec.layers.forEach((layer, k) => {
    const name = `dense_${k}`;
    const bias = biasPerNeuron(layer);
    const keras = kerasOf(layer.activation);
    if ("unsupported" in keras) {
      // The rules table says why in English; the catalogue says it in every language (test/i18n-model-errors.test.ts keeps the two the same).
      const why = layer.activation === "gelu_tanh" ? say("modelError.tfjs.geluTanh") : verbatim(keras.unsupported);
      throw InputError.said(say("modelError.tfjs.exportUnsupported", { layer: k + 1, activation: layer.activation, why }));
    }
    layers.push({
      class_name: "Dense",
      config: {
        name,
        trainable: true,
        ...(k === 0 ? { batch_input_shape: [null, spec.inputs] } : {}),
        dtype: "float32",
        units: layer.units,
        activation: "activation" in keras ? keras.activation : "linear",
        use_bias: bias !== undefined,
      },
    });
    if ("layer" in keras)
      layers.push({ class_name: keras.layer, config: { name: `${keras.layer.toLowerCase()}_${k}`, trainable: true, dtype: "float32", ...keras.config } });
    // kernel[i][j] = weights[j][i]: Keras multiplies x · kernel.
    specs.push({ name: `${name}/kernel`, shape: [inputs, layer.units], dtype: "float32" });
    for (let i = 0; i < inputs; i++) for (let j = 0; j < layer.units; j++) values.push(layer.weights[j]![i]!);
    if (bias) {
      specs.push({ name: `${name}/bias`, shape: [layer.units], dtype: "float32" });
      values.push(...bias);
    }
    inputs = layer.units;
  });
  const weights = Float32Array.from(values);
  const notes: string[] = [];
  if (dtype === "float64") {
    let largest = 0;
    values.forEach((v, i) => (largest = Math.max(largest, Math.abs(v - weights[i]!))));
    notes.push(t.text("command.export.tfjsRounded", { change: largest.toExponential(2) }));
  }
  const model = {
    format: "layers-model",
    generatedBy: "gradstep 0.1.0",
    convertedBy: null,
    modelTopology: {
      class_name: "Sequential",
      config: { name: "gradstep", layers },
      keras_version: "tfjs-layers 4.22.0",
      backend: "tensor_flow.js",
    },
    weightsManifest: [{ paths: [TFJS_SHARD_FILE], weights: specs }],
  };
  return { modelJson: `${JSON.stringify(model, null, 2)}\n`, weights: new Uint8Array(weights.buffer), notes };
}
