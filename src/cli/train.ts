import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { SingleBar } from "cli-progress";
import { Command, Option } from "commander";
import { argumentError } from "./usage-errors.js";
import { dataName } from "./data-name.js";
import { say, type Translator } from "../i18n/translate.js";
import { OPTIMIZER_NAMES, type OptimizerName } from "../engine/optimizers.js";
import { claimOutput, writeFileSafely } from "../io/files.js";
import { modelPaths, saveModel } from "../io/model-file.js";
import { LIMITS } from "../limits.js";
import { InputError } from "../input-error.js";
import { helpAfter } from "./help-text.js";
import { langOption, translatorFor } from "./lang.js";
import { renderTrainingPlot } from "../render/training-plot.js";
import { loadCheckpoint, saveCheckpoint } from "../train/checkpoint.js";
import { ACTIVATION_RULES, HIDDEN_ACTIVATIONS, type HiddenActivation } from "../rules/activations.js";
import { initialNetwork, INITIALIZERS, type Initializer } from "../train/init.js";
import { MAX_THREADS, ROUTES, isThreadCount, type Route } from "../kernels/index.js";
import { fastBackend } from "../kernels/engine-backend.js";
import { SCHEDULES, type ScheduleName } from "../train/schedule.js";
import { isTableFile, loadSplit } from "../train/sources.js";
import { MISSING_STRATEGIES, TASKS, type MissingStrategy, type Task } from "../io/table-spec.js";
import { loadTable } from "../train/table/source.js";
import { OUTPUT_ACTIVATION, prepareTable, TABLE_WEIGHT_DECAY, tableRecord, type PreparedTable } from "../train/table/train-table.js";
import { describeTable } from "./table-report.js";
import { startTraining, train, type EpochMetrics, type TrainSettings } from "../train/trainer.js";
import { REGRESSION_LOSSES, type RegressionLoss } from "../engine/losses.js";
import { formatOption, jsonAlias } from "./options.js";
import { enableRelaxedSimd } from "./wasm-flags.js";

interface TrainFlags {
  data: string;
  label?: string;
  task?: Task;
  ignore?: string[];
  missing: MissingStrategy;
  loss: RegressionLoss;
  testFraction: number;
  hidden?: number[];
  activation: HiddenActivation;
  init?: Initializer;
  optimizer: OptimizerName;
  lr: number;
  momentum: number;
  weightDecay?: number;
  batch?: number;
  epochs: number;
  schedule: ScheduleName;
  earlyStop?: number;
  seed: number;
  out: string;
  checkpoint?: string;
  resume?: boolean;
  force?: boolean;
  format: "text" | "json";
  kernels: Route;
  /** The flag's old name, still read. */
  backend?: Route;
  threads?: number;
  lang?: string;
}

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw argumentError("usage.wholeNumberAtLeast", { min: 1 });
  return n;
};
const nonNegative = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw argumentError("usage.numberAtLeast", { min: 0 });
  return n;
};
const threadCount = (value: string) => {
  const n = Number(value);
  if (!isThreadCount(n)) throw argumentError("usage.wholeNumberRange", { min: 1, max: MAX_THREADS });
  return n;
};
const layerSizes = (value: string) => {
  const sizes = value === "" ? [] : value.split(",").map((s) => Number(s.trim()));
  if (!sizes.every((n) => Number.isInteger(n) && n >= 1)) throw argumentError("usage.layerSizes");
  if (sizes.length > LIMITS.hiddenLayers) throw argumentError("usage.tooManyLayers", { limit: LIMITS.hiddenLayers, found: sizes.length });
  const large = sizes.find((n) => n > LIMITS.hiddenUnits);
  if (large !== undefined)
    throw argumentError("usage.layerTooWide", { limit: LIMITS.hiddenUnits.toLocaleString("en-US"), found: large.toLocaleString("en-US") });
  return sizes;
};

/** A number with 4 significant digits, without exponent for everyday sizes: 0.1234, 12.35, 48,210. */
function figure(v: number): string {
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString("en-US") : Number(v.toPrecision(4)).toString();
}

function epochLine(m: EpochMetrics, epochs: number, t: Translator): string {
  const pct = (v: number | undefined) => (v === undefined ? "–" : `${(100 * v).toFixed(2)}%`);
  const scores =
    m.testRmse === undefined
      ? t.text("command.train.epochScores", {
          loss: m.trainLoss.toFixed(4),
          acc: pct(m.trainAccuracy),
          testLoss: m.testLoss.toFixed(4),
          testAcc: pct(m.testAccuracy),
        })
      : t.text("command.train.epochRegression", { loss: m.trainLoss.toFixed(4), rmse: figure(m.testRmse), mae: figure(m.testMae!), r2: m.testR2!.toFixed(4) });
  return t.text("command.train.epoch", {
    epoch: String(m.epoch).padStart(String(epochs).length),
    epochs: String(epochs),
    scores,
    lr: m.learningRate.toPrecision(3),
    speed: Math.round(m.samplesPerSecond).toLocaleString(t.lang),
    seconds: m.seconds.toFixed(1),
  });
}

function missingLabel(file: string): never {
  throw InputError.said((t) => t.text("command.train.missingLabel"), { file });
}

export const trainCommand = new Command("train")
  .description("train an MLP (a classifier, a regression or a multi-label model) on real data with the float32 WebAssembly engine")
  .option("--data <SOURCE>", "digits (built in), fashion-mnist, a folder of IDX files, or a table (.csv, .tsv, .txt: , ; or tab delimited)", "digits")
  .option("--label <COLUMN>", "the label column of a table (several, comma-separated, for several targets or labels)")
  .addOption(new Option("--task <NAME>", "what to learn (default: inferred from the label column)").choices(TASKS))
  .option("--ignore <COLUMNS>", "columns of a table to leave out, comma-separated (an id, a free-text name)", (v: string) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .addOption(
    new Option("--missing <STRATEGY>", "missing feature cells: impute (mean or most frequent, with an indicator) or drop the row")
      .choices(MISSING_STRATEGIES)
      .default("impute"),
  )
  .addOption(new Option("--loss <NAME>", "loss of a regression, on standardized targets").choices(REGRESSION_LOSSES).default("mse"))
  .option("--test-fraction <F>", "share of a table held out for testing", nonNegative, 0.2)
  .option("--hidden <SIZES>", "hidden layer sizes (default: 256,128; 64,32 for a table)", layerSizes)
  .addOption(new Option("--activation <NAME>", "hidden activation").choices(HIDDEN_ACTIVATIONS).default("relu"))
  .addOption(new Option("--init <NAME>", "initializer (default: he for relu, xavier otherwise)").choices(INITIALIZERS))
  .addOption(new Option("--optimizer <NAME>", "optimizer").choices(OPTIMIZER_NAMES).default("adam"))
  .option("--lr <RATE>", "learning rate", nonNegative, 0.001)
  .option("--momentum <MU>", "momentum (momentum optimizer)", nonNegative, 0.9)
  .option("--weight-decay <LAMBDA>", `decoupled weight decay (biases excluded; default: 0, ${TABLE_WEIGHT_DECAY} for a table)`, nonNegative)
  .option("--batch <N>", "mini-batch size (default: 128; 32 for a table)", positiveInt)
  .option("--epochs <N>", "epochs", positiveInt, 10)
  .addOption(new Option("--schedule <NAME>", "learning-rate schedule").choices(SCHEDULES).default("cosine"))
  .option("--early-stop <PATIENCE>", "stop after this many epochs without a better test accuracy", positiveInt)
  .option("--seed <N>", "seed of initialization and shuffling", positiveInt, 1)
  .option("-o, --out <FILE>", "model file to write (FILE.json + FILE.safetensors, and FILE.svg with the curves)", "model.json")
  .option("--checkpoint <FILE>", "checkpoint written after every epoch (default: OUT with .checkpoint.safetensors)")
  .option("--resume", "continue from the checkpoint, exactly where it stopped")
  .option("--force", "start over, replacing an existing checkpoint and model files")
  .addOption(
    formatOption(["text", "json"], "output format (json: one object per epoch on standard output, then a record of what was written; no progress bar)"),
  )
  .addOption(jsonAlias())
  .addOption(langOption())
  .addOption(new Option("--kernels <ROUTE>", "fastest kernels to use: relaxed SIMD, SIMD, or TypeScript").choices(ROUTES).default("relaxed"))
  .addOption(new Option("--backend <ROUTE>").choices(ROUTES).hideHelp())
  .option("--threads <N>", `threads splitting large matrix products, 1 to ${MAX_THREADS} (default: 2, or 1 on one core)`, threadCount)
  .addHelpText(
    "after",
    helpAfter(undefined, [
      "gradstep train",
      "gradstep train --data fashion-mnist --epochs 10 --out fashion.json",
      "gradstep train --data iris.csv --label species --epochs 100",
      "gradstep train --data houses.csv --label price --ignore id,name --epochs 200",
      "gradstep train --data fashion-mnist --resume",
    ]),
  )
  .action(async (flags: TrainFlags) => {
    enableRelaxedSimd();
    const t = await translatorFor(flags.lang);
    mkdirSync(dirname(resolve(flags.out)), { recursive: true });
    const table: PreparedTable | undefined = isTableFile(flags.data)
      ? prepareTable(loadTable(flags.data), {
          label: flags.label ?? missingLabel(flags.data),
          task: flags.task,
          ignore: flags.ignore,
          missing: flags.missing,
          loss: flags.loss,
          testFraction: flags.testFraction,
          seed: flags.seed,
        })
      : undefined;
    const data = table
      ? { train: table.train, test: table.test, source: flags.data }
      : loadSplit(flags.data, { label: flags.label, testFraction: flags.testFraction, seed: flags.seed });
    const hidden = flags.hidden ?? (table ? [64, 32] : [256, 128]);
    const batchSize = flags.batch ?? (table ? 32 : 128);
    const backend = await fastBackend({ route: flags.backend ?? flags.kernels, ...(flags.threads === undefined ? {} : { threads: flags.threads }) });
    const settings: TrainSettings = {
      epochs: flags.epochs,
      batchSize,
      learningRate: flags.lr,
      schedule: { name: flags.schedule },
      optimizer: { name: flags.optimizer, momentum: flags.momentum, weightDecay: flags.weightDecay ?? (table ? TABLE_WEIGHT_DECAY : 0) },
      seed: flags.seed,
      ...(flags.earlyStop
        ? { earlyStop: { metric: table?.spec.task === "regression" ? ("loss" as const) : ("accuracy" as const), patience: flags.earlyStop } }
        : {}),
      ...(table?.spec.loss ? { loss: table.spec.loss } : {}),
    };
    const output = table ? OUTPUT_ACTIVATION[table.spec.task] : "softmax";
    // A regression starts from its linear fit: the network's output weights start at 0 and it learns what the fit leaves.
    const architecture = {
      inputs: data.train.features,
      hidden,
      activation: flags.activation,
      classes: data.train.classes,
      output,
      zeroOutput: table?.spec.label.linear !== undefined,
    };
    const widths = [architecture.inputs, ...architecture.hidden, architecture.classes];
    const parameters = widths.slice(1).reduce((sum, units, k) => sum + units * (widths[k]! + 1), 0);
    if (parameters > LIMITS.trainedParameters) {
      throw InputError.said((t) =>
        t.text("command.train.tooManyParameters", {
          limit: LIMITS.trainedParameters.toLocaleString("en-US"),
          found: parameters.toLocaleString("en-US"),
          widths: widths.join("-"),
        }),
      );
    }
    const initializer = flags.init ?? ACTIVATION_RULES[flags.activation].initializer;
    const spec = initialNetwork(architecture, initializer, flags.seed);
    const run = `${data.source}: ${[architecture.inputs, ...architecture.hidden, architecture.classes].join("-")} ${flags.activation}${output === "softmax" ? "" : ` ${output}`}, ${initializer}`;
    const checkpoint = flags.checkpoint ?? flags.out.replace(/(\.json)?$/, ".checkpoint.safetensors");
    // Claimed before training: a run never replaces another run's checkpoint or model unless told to.
    claimOutput(checkpoint, {
      force: flags.force || flags.resume,
      what: say("command.train.whatCheckpoint"),
      forceFlag: say("command.train.resumeOrForce"),
      replacesInput: flags.resume,
    });
    const outputs = modelPaths(flags.out);
    for (const file of [outputs.json, outputs.weights, outputs.json.replace(/\.json$/, ".svg")]) {
      claimOutput(file, { force: flags.force || flags.resume, what: say("command.train.whatModel") });
    }
    const state = flags.resume ? loadCheckpoint(checkpoint, spec, backend, settings, run) : startTraining(spec, backend, settings.optimizer);

    const log = (line: string) => process.stderr.write(`${line}\n`);
    const asJson = flags.format === "json";
    if (!asJson) {
      if (table) for (const line of describeTable(table, t)) log(line);
      else
        log(
          t.text("command.train.data", {
            name: dataName(data.train.name, t),
            train: String(data.train.count),
            test: String(data.test.count),
            features: String(data.train.features),
            classes: String(data.train.classes),
          }),
        );
      const network = {
        layers: [architecture.inputs, ...architecture.hidden, architecture.classes].join(" → "),
        activation: flags.activation,
        output,
        optimizer: flags.optimizer,
        lr: String(flags.lr),
        batch: String(batchSize),
        route: backend.route,
        threads: backend.threads,
      };
      log(flags.resume ? t.text("command.train.networkResuming", { ...network, epoch: String(state.epoch) }) : t.text("command.train.network", network));
    }
    const bar =
      !asJson && process.stderr.isTTY && process.env.TERM !== "dumb"
        ? new SingleBar({
            // cli-progress's own placeholders, set into the message as its arguments.
            format: t.text("command.train.progress", {
              epoch: "{epoch}",
              bar: "{bar}",
              percentage: "{percentage}",
              speed: "{speed}",
              eta: "{eta_formatted}",
            }),
            hideCursor: true,
            clearOnComplete: true,
            stream: process.stderr,
          })
        : undefined;
    const result = train(state, data, settings, {
      onProgress: (p) => {
        if (!bar) return;
        if (p.samples <= batchSize) bar.start(p.total, 0, { epoch: `${p.epoch}/${settings.epochs}`, speed: "…" });
        bar.update(p.samples, { speed: Math.round(p.samplesPerSecond).toLocaleString(t.lang) });
        if (p.samples === p.total) bar.stop();
      },
      onEpoch: (metrics, now) => {
        saveCheckpoint(checkpoint, now, settings, run);
        if (asJson) process.stdout.write(`${JSON.stringify(metrics)}\n`);
        else log(epochLine(metrics, settings.epochs, t));
      },
    });
    const last = result.history.at(-1);
    const training = { data: data.source, run, settings, history: result.history, kernels: backend.route };
    const { json, weights } = saveModel(
      flags.out,
      result.net,
      table
        ? tableRecord(table.spec, training)
        : { loss: { type: "cross_entropy", reduction: "mean" }, ...(data.train.classNames ? { classes: [...data.train.classNames] } : {}), training },
    );
    const plot = json.replace(/\.json$/, ".svg");
    writeFileSafely(plot, renderTrainingPlot(result.history, `${data.train.name}: ${run}`));
    if (asJson) {
      // The last line says what the run left behind, so a script need not guess the file names.
      const test =
        last &&
        (last.testRmse === undefined
          ? { loss: last.testLoss, accuracy: last.testAccuracy }
          : { loss: last.testLoss, rmse: last.testRmse, mae: last.testMae, r2: last.testR2 });
      const summary = table && { task: table.spec.task, train: table.train.count, test: table.test.count, ...table.report, ignored: table.ignored };
      process.stdout.write(
        `${JSON.stringify({ done: true, epochs: result.history.length, test, ...(summary ? { table: summary } : {}), wrote: { model: json, weights, plot, checkpoint } })}\n`,
      );
    } else {
      const final = !last
        ? "–"
        : last.testRmse === undefined
          ? t.text("command.train.finalAccuracy", { accuracy: `${(100 * (last.testAccuracy ?? 0)).toFixed(2)}%` })
          : t.text("command.train.finalRegression", { rmse: figure(last.testRmse), mae: figure(last.testMae!), r2: last.testR2!.toFixed(4) });
      log(t.text("command.train.done", { final, epochs: result.history.length, files: [json, weights, plot].join(t.text("command.table.separator")) }));
    }
    await backend.close();
  });
