import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, test } from "vitest";
import type { ActivationName } from "../../src/engine/activations.js";
import type { BiasMode } from "../../src/engine/network.js";
import { exportTfjs, TFJS_SHARD_FILE } from "../../src/io/tfjs-export.js";
import { importTfjs } from "../../src/io/tfjs-import.js";
import { InputError } from "../../src/input-error.js";
import { engineOutput, maxDifference, randomBatch, randomSpec } from "./fixtures.js";

interface ModelJson {
  modelTopology: tf.io.ModelJSON["modelTopology"];
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** Loads our files with tfjs itself: @tensorflow/tfjs has no file:// loader, so an IOHandler hands it the two files. */
async function loadInTfjs(modelJson: string, shard: Uint8Array): Promise<tf.LayersModel> {
  const json = JSON.parse(modelJson) as ModelJson;
  expect(json.weightsManifest[0]!.paths).toEqual([TFJS_SHARD_FILE]);
  const weightData = shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength) as ArrayBuffer;
  return tf.loadLayersModel({ load: () => Promise.resolve({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData }) });
}

function predict(model: tf.LayersModel, x: number[][]): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor2d(x)) as tf.Tensor).dataSync() as Float32Array);
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("TensorFlow.js export, loaded by @tensorflow/tfjs", () => {
  const cases: { h: ActivationName; o: ActivationName; bias: BiasMode }[] = [
    { h: "relu", o: "softmax", bias: "perNeuron" },
    { h: "sigmoid", o: "identity", bias: "shared" },
    { h: "tanh", o: "sigmoid", bias: "none" },
    { h: "identity", o: "softmax", bias: "shared" },
  ];
  test.each(cases)("$h hidden, $o output, $bias bias", async ({ h, o, bias }) => {
    const seed = cases.findIndex((c) => c.h === h) + 20;
    const spec = randomSpec(seed, [3, 5, 4, 2], [h, h, o], bias);
    const files = exportTfjs(spec, "float32");
    expect(files.notes).toEqual([]);
    const model = await loadInTfjs(files.modelJson, files.weights);
    const x = randomBatch(seed, 6, 3);
    expect(maxDifference(predict(model, x), engineOutput(spec, "float32", x))).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });

  test("a float64 model is rounded to float32, with a note", async () => {
    const spec = randomSpec(31, [2, 3, 1], ["tanh", "identity"], "perNeuron");
    const files = exportTfjs(spec, "float64");
    expect(files.notes).toEqual([
      expect.stringMatching(/^TensorFlow\.js stores float32 weights: the float64 parameters were rounded to float32 \(largest change \d\.\d\de-\d+\)$/),
    ]);
    const model = await loadInTfjs(files.modelJson, files.weights);
    const x = randomBatch(32, 4, 2);
    expect(maxDifference(predict(model, x), engineOutput(spec, "float64", x))).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });
});

describe("TensorFlow.js import", () => {
  /** A model made and saved by tfjs itself: Dense layers, one without bias, and an Activation layer. */
  async function savedByTfjs(): Promise<{ model: tf.LayersModel; modelJson: string; shard: Uint8Array }> {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [4], units: 6, activation: "relu" }),
        tf.layers.dense({ units: 5, useBias: false, activation: "tanh" }),
        tf.layers.dropout({ rate: 0.5 }),
        tf.layers.dense({ units: 3 }),
        tf.layers.activation({ activation: "softmax" }),
      ],
    });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save({
      save: (artifacts) => ((saved = artifacts), Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } })),
    });
    const weights = new Uint8Array(saved!.weightData as ArrayBuffer);
    const modelJson = JSON.stringify({
      format: "layers-model",
      modelTopology: saved!.modelTopology,
      weightsManifest: [{ paths: ["weights.bin"], weights: saved!.weightSpecs }],
    });
    return { model, modelJson, shard: weights };
  }

  test("a model saved by tfjs predicts what tfjs predicts", async () => {
    const { model, modelJson, shard } = await savedByTfjs();
    const ours = importTfjs(modelJson, (path) => {
      expect(path).toBe("weights.bin");
      return shard;
    });
    expect(ours.header.network).toEqual({
      inputs: 4,
      layers: [
        { units: 6, activation: "relu", bias: "perNeuron" },
        { units: 5, activation: "tanh", bias: "none" },
        { units: 3, activation: "softmax", bias: "perNeuron" },
      ],
    });
    const x = randomBatch(40, 5, 4);
    expect(maxDifference(engineOutput(ours.spec, "float32", x), predict(model, x))).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });

  test("our export reads back bit for bit", () => {
    const spec = randomSpec(41, [3, 4, 2], ["sigmoid", "softmax"], "none");
    const files = exportTfjs(spec, "float32");
    const back = importTfjs(files.modelJson, () => files.weights);
    expect(back.spec.layers.map((l) => l.weights)).toEqual(spec.layers.map((l) => l.weights.map((row) => row.map(Math.fround))));
  });

  test("every truncation of model.json or of the shard, and unsupported layers, are clear InputErrors", async () => {
    const { model, modelJson, shard } = await savedByTfjs();
    model.dispose();
    for (let length = 0; length < modelJson.length; length += 7) {
      expect(() => importTfjs(modelJson.slice(0, length), () => shard, "model.json")).toThrow(
        /^model\.json: not a TensorFlow\.js layers model gradstep can read: model\.json is not JSON$/,
      );
    }
    for (let length = 0; length < shard.length; length++) {
      expect(() => importTfjs(modelJson, () => shard.subarray(0, length), "model.json")).toThrow(InputError);
    }
    expect(() => importTfjs(modelJson, () => shard.subarray(0, 9), "model.json")).toThrow(
      /weight ".*kernel" needs 96 bytes at byte 0 of the weights, but they hold 9; is a shard cut short\?/,
    );
    const conv = JSON.parse(modelJson);
    conv.modelTopology.config.layers[1].class_name = "Conv2D";
    expect(() => importTfjs(JSON.stringify(conv), () => shard, "model.json")).toThrow(/layer 1 "dense_\w+" \(Conv2D\) is not supported/);
    const elu = JSON.parse(modelJson);
    elu.modelTopology.config.layers[0].config.activation = "selu";
    expect(() => importTfjs(JSON.stringify(elu), () => shard, "model.json")).toThrow(
      /has the activation "selu"; expected one of linear, relu, sigmoid, tanh, softmax, elu, softplus, swish, gelu/,
    );
  });
});
