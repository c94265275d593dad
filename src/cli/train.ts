import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { SingleBar } from "cli-progress";
import { Command, InvalidArgumentError, Option } from "commander";
import { OPTIMIZER_NAMES, type OptimizerName } from "../engine/optimizers.js";
import { claimOutput, writeFileSafely } from "../io/files.js";
import { modelPaths, saveModel } from "../io/model-file.js";
import { LIMITS } from "../limits.js";
import { InputError } from "../problem/input-error.js";
import { renderTrainingPlot } from "../render/training-plot.js";
import { loadCheckpoint, saveCheckpoint } from "../train/checkpoint.js";
import { initialNetwork, INITIALIZERS, type Initializer } from "../train/init.js";
import { MAX_THREADS, isThreadCount } from "../kernels/index.js";
import { fastBackend } from "../train/kernel-backend.js";
import { SCHEDULES, type ScheduleName } from "../train/schedule.js";
import { loadSplit } from "../train/sources.js";
import { startTraining, train, type EpochMetrics, type TrainSettings } from "../train/trainer.js";
import { formatOption, jsonAlias } from "./options.js";
import { enableRelaxedSimd } from "./wasm-flags.js";

interface TrainFlags {
  data: string;
  label?: string;
  testFraction: number;
  hidden: number[];
  activation: "relu" | "tanh" | "sigmoid";
  init?: Initializer;
  optimizer: OptimizerName;
  lr: number;
  momentum: number;
  weightDecay: number;
  batch: number;
  epochs: number;
  schedule: ScheduleName;
  earlyStop?: number;
  seed: number;
  out: string;
  checkpoint?: string;
  resume?: boolean;
  force?: boolean;
  format: "text" | "json";
  backend: "relaxed" | "simd" | "js";
  threads?: number;
}

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number ≥ 1.");
  return n;
};
const nonNegative = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a number ≥ 0.");
  return n;
};
const threadCount = (value: string) => {
  const n = Number(value);
  if (!isThreadCount(n)) throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_THREADS}.`);
  return n;
};
const layerSizes = (value: string) => {
  const sizes = value === "" ? [] : value.split(",").map((s) => Number(s.trim()));
  if (!sizes.every((n) => Number.isInteger(n) && n >= 1)) throw new InvalidArgumentError('expected sizes like "256,128".');
  if (sizes.length > LIMITS.hiddenLayers) throw new InvalidArgumentError(`expected at most ${LIMITS.hiddenLayers} hidden layers, found ${sizes.length}.`);
  const large = sizes.find((n) => n > LIMITS.hiddenUnits);
  if (large !== undefined) throw new InvalidArgumentError(`expected layers of at most ${LIMITS.hiddenUnits.toLocaleString("en-US")} units, found ${large.toLocaleString("en-US")}.`);
  return sizes;
};

function epochLine(m: EpochMetrics, epochs: number): string {
  const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
  return `epoch ${String(m.epoch).padStart(String(epochs).length)}/${epochs}  loss ${m.trainLoss.toFixed(4)}  acc ${pct(m.trainAccuracy)}  │  test loss ${m.testLoss.toFixed(4)}  test acc ${pct(m.testAccuracy)}  │  lr ${m.learningRate.toPrecision(3)}  ${Math.round(m.samplesPerSecond).toLocaleString("en-US")} samples/s  ${m.seconds.toFixed(1)} s`;
}

export const trainCommand = new Command("train")
  .description("train an MLP classifier (softmax cross-entropy) on real data with the float32 WebAssembly engine")
  .option("--data <SOURCE>", "digits (built in), fashion-mnist, a folder of IDX files, or a .csv file", "digits")
  .option("--label <COLUMN>", "the label column of a CSV file")
  .option("--test-fraction <F>", "share of a CSV file held out for testing", nonNegative, 0.2)
  .option("--hidden <SIZES>", "hidden layer sizes", layerSizes, [256, 128])
  .addOption(new Option("--activation <NAME>", "hidden activation").choices(["relu", "tanh", "sigmoid"]).default("relu"))
  .addOption(new Option("--init <NAME>", "initializer (default: he for relu, xavier otherwise)").choices(INITIALIZERS))
  .addOption(new Option("--optimizer <NAME>", "optimizer").choices(OPTIMIZER_NAMES).default("adam"))
  .option("--lr <RATE>", "learning rate", nonNegative, 0.001)
  .option("--momentum <MU>", "momentum (momentum optimizer)", nonNegative, 0.9)
  .option("--weight-decay <LAMBDA>", "decoupled weight decay (biases excluded)", nonNegative, 0)
  .option("--batch <N>", "mini-batch size", positiveInt, 128)
  .option("--epochs <N>", "epochs", positiveInt, 10)
  .addOption(new Option("--schedule <NAME>", "learning-rate schedule").choices(SCHEDULES).default("cosine"))
  .option("--early-stop <PATIENCE>", "stop after this many epochs without a better test accuracy", positiveInt)
  .option("--seed <N>", "seed of initialization and shuffling", positiveInt, 1)
  .option("-o, --out <FILE>", "model file to write (FILE.json + FILE.safetensors, and FILE.svg with the curves)", "model.json")
  .option("--checkpoint <FILE>", "checkpoint written after every epoch (default: OUT with .checkpoint.safetensors)")
  .option("--resume", "continue from the checkpoint, exactly where it stopped")
  .option("--force", "start over, replacing an existing checkpoint and model files")
  .addOption(formatOption(["text", "json"], "output format (json: one object per epoch on standard output, then a record of what was written; no progress bar)"))
  .addOption(jsonAlias())
  .addOption(new Option("--backend <ROUTE>", "fastest kernels to use").choices(["relaxed", "simd", "js"]).default("relaxed"))
  .option("--threads <N>", `threads splitting large matrix products, 1 to ${MAX_THREADS} (default: 2, or 1 on one core)`, threadCount)
  .addHelpText(
    "after",
    `
Examples:
  $ gradstep train                                   # the built-in MNIST digits, 10 epochs
  $ gradstep train --data fashion-mnist --epochs 10 --out fashion.json
  $ gradstep train --data iris.csv --label species --hidden 16 --epochs 50
  $ gradstep train --data fashion-mnist --resume     # after an interrupted run`,
  )
  .action(async (flags: TrainFlags) => {
    enableRelaxedSimd();
    mkdirSync(dirname(resolve(flags.out)), { recursive: true });
    const data = loadSplit(flags.data, { label: flags.label, testFraction: flags.testFraction, seed: flags.seed });
    const backend = await fastBackend({ route: flags.backend, ...(flags.threads === undefined ? {} : { threads: flags.threads }) });
    const settings: TrainSettings = {
      epochs: flags.epochs,
      batchSize: flags.batch,
      learningRate: flags.lr,
      schedule: { name: flags.schedule },
      optimizer: { name: flags.optimizer, momentum: flags.momentum, weightDecay: flags.weightDecay },
      seed: flags.seed,
      ...(flags.earlyStop ? { earlyStop: { metric: "accuracy" as const, patience: flags.earlyStop } } : {}),
    };
    const architecture = { inputs: data.train.features, hidden: flags.hidden, activation: flags.activation, classes: data.train.classes };
    const widths = [architecture.inputs, ...architecture.hidden, architecture.classes];
    const parameters = widths.slice(1).reduce((sum, units, k) => sum + units * (widths[k]! + 1), 0);
    if (parameters > LIMITS.trainedParameters) {
      throw new InputError(`--hidden: expected a network of at most ${LIMITS.trainedParameters.toLocaleString("en-US")} parameters, found ${parameters.toLocaleString("en-US")} (${widths.join("-")})`);
    }
    const initializer = flags.init ?? (flags.activation === "relu" ? "he" : "xavier");
    const spec = initialNetwork(architecture, initializer, flags.seed);
    const run = `${data.source}: ${[architecture.inputs, ...architecture.hidden, architecture.classes].join("-")} ${flags.activation}, ${initializer}`;
    const checkpoint = flags.checkpoint ?? flags.out.replace(/(\.json)?$/, ".checkpoint.safetensors");
    // Claimed before training: a run never replaces another run's checkpoint or model unless told to.
    claimOutput(checkpoint, { force: flags.force || flags.resume, what: "the checkpoint", forceFlag: "--resume to continue that run, or --force to start over", replacesInput: flags.resume });
    const outputs = modelPaths(flags.out);
    for (const file of [outputs.json, outputs.weights, outputs.json.replace(/\.json$/, ".svg")]) {
      claimOutput(file, { force: flags.force || flags.resume, what: "the trained model" });
    }
    const state = flags.resume ? loadCheckpoint(checkpoint, spec, backend, settings, run) : startTraining(spec, backend, settings.optimizer);

    const log = (line: string) => process.stderr.write(`${line}\n`);
    const asJson = flags.format === "json";
    if (!asJson) {
      log(`${data.train.name}: ${data.train.count} training and ${data.test.count} test samples, ${data.train.features} features, ${data.train.classes} classes`);
      log(`network ${[architecture.inputs, ...architecture.hidden, architecture.classes].join(" → ")} (${flags.activation}, softmax), ${flags.optimizer} lr ${flags.lr}, batch ${flags.batch}, kernels: ${backend.route} on ${backend.threads} thread${backend.threads === 1 ? "" : "s"}${flags.resume ? `, resuming after epoch ${state.epoch}` : ""}`);
    }
    const bar = !asJson && process.stderr.isTTY && process.env.TERM !== "dumb" ? new SingleBar({ format: "epoch {epoch} [{bar}] {percentage}% | {speed} samples/s | ETA {eta_formatted}", hideCursor: true, clearOnComplete: true, stream: process.stderr }) : undefined;
    const result = train(state, data, settings, {
      onProgress: (p) => {
        if (!bar) return;
        if (p.samples <= settings.batchSize) bar.start(p.total, 0, { epoch: `${p.epoch}/${settings.epochs}`, speed: "…" });
        bar.update(p.samples, { speed: Math.round(p.samplesPerSecond).toLocaleString("en-US") });
        if (p.samples === p.total) bar.stop();
      },
      onEpoch: (metrics, now) => {
        saveCheckpoint(checkpoint, now, settings, run);
        if (asJson) process.stdout.write(`${JSON.stringify(metrics)}\n`);
        else log(epochLine(metrics, settings.epochs));
      },
    });
    const last = result.history.at(-1);
    const { json, weights } = saveModel(flags.out, result.net, {
      loss: { type: "cross_entropy", reduction: "mean" },
      ...(data.train.classNames ? { classes: [...data.train.classNames] } : {}),
      training: { data: data.source, run, settings, history: result.history, kernels: backend.route },
    });
    const plot = json.replace(/\.json$/, ".svg");
    writeFileSafely(plot, renderTrainingPlot(result.history, `${data.train.name}: ${run}`));
    if (asJson) {
      // The last line says what the run left behind, so a script need not guess the file names.
      const test = last && { loss: last.testLoss, accuracy: last.testAccuracy };
      process.stdout.write(`${JSON.stringify({ done: true, epochs: result.history.length, test, wrote: { model: json, weights, plot, checkpoint } })}\n`);
    } else {
      log(`test accuracy ${last ? (100 * last.testAccuracy).toFixed(2) : "–"}% after ${result.history.length} epochs; wrote ${json}, ${weights}, ${plot}`);
    }
    await backend.close();
  });
