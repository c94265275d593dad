import "./digits.css";
import { FASHION_MNIST_CLASSES } from "../../../src/train/data/known-sets.js";
import type { MessageKey } from "../../../src/i18n/translate.js";
import { announce, h } from "../dom.js";
import { t } from "../words.js";
import { drawCurves, type Series } from "./curves.js";
import type { DigitsConfig, FromDigitsWorker, IdxFile, ToDigitsWorker } from "./digits-protocol.js";
import { LocalNetwork } from "./local-net.js";
import { DrawingPad } from "./pad.js";
import { confusionRows, mistakeFigures, probabilityItems } from "./results.js";

/**
 * Training on images: the built-in MNIST digits, or Fashion-MNIST from the
 * user's files, in a Web Worker with the trainer `gradstep train` uses, on
 * the WebAssembly kernels split over two threads. The view shows the loss
 * (log-scaled) and accuracy as they fall and rise, samples per second, the
 * test set's confusion matrix and some images it gets wrong, and a square to
 * draw on with the network's probabilities for the drawing.
 */

const TRAIN = "#2f6fde",
  TEST = "#e07b39";
const MAX_POINTS = 600;

/** "256, 128" → [256, 128]: one to three hidden layers of 1 to 1024 neurons. */
export function readLayers(text: string): number[] | undefined {
  const sizes = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  return sizes.length >= 1 && sizes.length <= 3 && sizes.every((n) => Number.isInteger(n) && n >= 1 && n <= 1024) ? sizes : undefined;
}

const percent = (v: number): string => `${(v * 100).toFixed(1)}%`;
/** A count as the page's language writes it (10,000; 10 000; 10.000). */
const count = (n: number): string => n.toLocaleString(t().lang);

/** Fashion-MNIST's class names in the page's language, in the order of its labels. */
const FASHION_NAMES: readonly MessageKey[] = [
  "train.fashion.0",
  "train.fashion.1",
  "train.fashion.2",
  "train.fashion.3",
  "train.fashion.4",
  "train.fashion.5",
  "train.fashion.6",
  "train.fashion.7",
  "train.fashion.8",
  "train.fashion.9",
];

/** Class names as the reader says them: Fashion-MNIST's translated, others (the digits, a data set's own) as they are. */
export function classNamesIn(names: readonly string[]): string[] {
  const fashion = names.length === FASHION_MNIST_CLASSES.length && names.every((name, k) => name === FASHION_MNIST_CLASSES[k]);
  return fashion ? names.map((_, k) => t().text(FASHION_NAMES[k]!)) : [...names];
}

export class DigitsView {
  readonly element: HTMLElement;
  private worker: Worker | undefined;
  private running = false;
  private files: IdxFile[] = [];
  private classNames: readonly string[] = [];
  /** Inputs of the network trained (784 for 28 × 28 images). */
  private inputs = 0;
  private trainLoss: { x: number; y: number }[] = [];
  private trainAccuracy: { x: number; y: number }[] = [];
  private testLoss: { x: number; y: number }[] = [];
  private testAccuracy: { x: number; y: number }[] = [];
  private frame: number | undefined;
  /** After a restart, until the worker says it is ready: reports of the run before are dropped. */
  private awaitingReady = false;
  /** The worker's word on the run it is ready for. */
  private ready: Extract<FromDigitsWorker, { type: "ready" }> | undefined;
  private drawing: Float32Array | undefined;
  private readonly local = new LocalNetwork();
  private readonly source = h(
    "select",
    { id: "digits-source" },
    h("option", { value: "digits" }, t().text("train.images.digits", { count: count(10_000) })),
    h("option", { value: "files" }, t().text("train.images.fashion")),
  );
  private readonly fileInput = h("input", {
    id: "digits-files",
    type: "file",
    multiple: true,
    accept: ".gz,.idx,.idx1-ubyte,.idx3-ubyte,application/gzip,application/octet-stream",
    // The browser's own button speaks the browser's language, not the page's: a button of the page's opens the chooser.
    class: "visually-hidden",
    tabindex: -1,
    "aria-labelledby": "digits-files-label",
  });
  private readonly chooseFiles = h(
    "button",
    { type: "button", id: "digits-choose", "aria-describedby": "digits-files-label" },
    t().text("train.images.chooseFiles.button"),
  );
  private readonly chosen = h("span", { id: "digits-chosen", class: "hint" }, t().text("train.images.chosen", { count: 0 }));
  private readonly dropZone = h(
    "div",
    { id: "digits-drop", class: "digits-drop", hidden: true },
    h(
      "div",
      { class: "field" },
      h("span", { id: "digits-files-label" }, t().text("train.images.files")),
      h("div", { class: "row" }, this.chooseFiles, this.chosen, this.fileInput),
    ),
    h(
      "p",
      { class: "hint" },
      ...t().parts("train.images.drop", {
        command: h("code", {}, "apt-get install dataset-fashion-mnist"),
        folder: h("code", {}, "/usr/share/datasets/fashion-mnist"),
      }),
    ),
  );
  private readonly hidden = h("input", {
    id: "digits-hidden",
    type: "text",
    value: "256, 128",
    title: t().text("train.images.hiddenTitle"),
    autocomplete: "off",
  });
  private readonly rate = h("input", { id: "digits-rate", type: "number", value: "0.001", min: "0", step: "0.0005" });
  private readonly batch = h("select", { id: "digits-batch" }, ...[32, 64, 128, 256].map((b) => h("option", { value: b, selected: b === 128 }, String(b))));
  private readonly threads = h(
    "select",
    { id: "digits-threads" },
    h("option", { value: 1 }, t().text("train.images.oneThread")),
    h("option", { value: 2, selected: true }, t().text("train.images.twoThreads")),
  );
  private readonly run = h("button", { type: "button", id: "digits-run", class: "primary", "aria-pressed": "false" }, t().text("train.run"));
  private readonly reset = h("button", { type: "button", id: "digits-reset" }, t().text("page.reset"));
  private readonly stats = h("p", { id: "digits-stats", class: "stats", "aria-live": "off" });
  private readonly network = h("p", { id: "digits-network", class: "hint" });
  private readonly problem = h("p", { class: "notice error", role: "alert", hidden: true });
  private readonly lossPlot = h("canvas", {
    id: "digits-loss",
    class: "digits-curve",
    role: "img",
    "aria-label": t().text("train.images.lossLabel"),
  });
  private readonly accuracyPlot = h("canvas", {
    id: "digits-accuracy",
    class: "digits-curve",
    role: "img",
    "aria-label": t().text("train.images.accuracyLabel"),
  });
  private readonly confusion = h("table", {
    id: "digits-confusion",
    class: "confusion",
    "aria-label": t().text("train.images.confusion"),
  });
  private readonly mistakes = h("div", { id: "digits-mistakes", class: "mistakes", role: "list", "aria-label": t().text("train.images.mistakesLabel") });
  private readonly mistakesCaption = h("figcaption", {}, t().text("train.images.mistakes"));
  private readonly pad = new DrawingPad((input) => {
    this.drawing = input;
    this.showProbabilities();
  });
  private readonly drawTitle = h("h3", { id: "digits-draw-title" }, t().text("train.images.drawDigit"));
  private readonly probabilities = h("ol", {
    id: "digits-probabilities",
    class: "probabilities",
    "aria-label": t().text("train.images.probabilities"),
  });

  constructor() {
    this.run.addEventListener("click", () => {
      this.setRunning(!this.running);
    });
    this.reset.addEventListener("click", () => {
      this.restart();
    });
    for (const control of [this.hidden, this.threads])
      control.addEventListener("change", () => {
        this.restart();
      });
    // The learning rate and the batch size apply from the next epoch on, to the network as it is.
    for (const control of [this.rate, this.batch])
      control.addEventListener("change", () => {
        this.changeSettings();
      });
    this.source.addEventListener("change", () => {
      this.restart();
    });
    this.chooseFiles.addEventListener("click", () => {
      this.fileInput.click();
    });
    this.fileInput.addEventListener("change", () => {
      void this.takeFiles([...(this.fileInput.files ?? [])]);
    });
    this.dropZone.addEventListener("dragover", (event) => {
      event.preventDefault();
    });
    // Prevented, the drop still reaches the page's own handler (files.ts), which then ends its drag state and leaves the files alone.
    this.dropZone.addEventListener("drop", (event) => {
      event.preventDefault();
      void this.takeFiles([...(event.dataTransfer?.files ?? [])]);
    });
    const field = (label: string, control: HTMLElement) => h("label", { class: "field" }, h("span", {}, label), control);
    this.element = h(
      "div",
      { id: "digits-trainer" },
      h("p", { class: "hint" }, t().text("train.images.intro")),
      h(
        "div",
        { class: "train-controls" },
        field(t().text("train.images.data"), this.source),
        field(t().text("train.images.hidden"), this.hidden),
        field(t().text("train.images.rate"), this.rate),
        field(t().text("train.images.batch"), this.batch),
        field(t().text("train.images.threads"), this.threads),
        h("div", { class: "row" }, this.run, this.reset),
      ),
      this.dropZone,
      this.problem,
      this.stats,
      this.network,
      h(
        "div",
        { class: "digits-grid" },
        h("figure", {}, this.lossPlot, h("figcaption", {}, t().text("train.images.lossCaption"))),
        h("figure", {}, this.accuracyPlot, h("figcaption", {}, t().text("train.images.accuracyCaption"))),
        h(
          "section",
          { class: "draw-panel", "aria-labelledby": "digits-draw-title" },
          this.drawTitle,
          h(
            "div",
            { class: "draw-row" },
            h(
              "div",
              { class: "draw-pad" },
              this.pad.canvas,
              h("div", { class: "row" }, this.pad.clear, h("span", { class: "hint" }, t().text("train.images.sees")), this.pad.preview),
            ),
            this.probabilities,
          ),
        ),
        h("figure", { class: "confusion-figure" }, this.confusion, h("figcaption", {}, t().text("train.images.confusion"))),
        h("figure", { class: "mistakes-figure" }, this.mistakes, this.mistakesCaption),
      ),
    );
    window.addEventListener("resize", () => {
      this.draw();
    });
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
      this.draw();
    });
  }

  /** Starts the worker the first time the view is shown. */
  show(): void {
    if (!this.worker) this.restart();
    else this.draw();
  }

  /** Pauses training when the view is hidden (the other view of the Train tab is shown). */
  hide(): void {
    if (this.running) this.setRunning(false);
  }

  private config(): DigitsConfig | undefined {
    const hidden = readLayers(this.hidden.value);
    this.hidden.setAttribute("aria-invalid", String(hidden === undefined));
    const learningRate = Number(this.rate.value);
    if (!hidden || !Number.isFinite(learningRate) || learningRate <= 0) return undefined;
    return {
      source: this.source.value === "files" ? "files" : "digits",
      hidden,
      learningRate,
      batchSize: Number(this.batch.value),
      threads: Number(this.threads.value),
      seed: 1,
      dataUrl: new URL("data/", document.baseURI).href,
      lang: t().lang,
    };
  }

  private async takeFiles(files: File[]): Promise<void> {
    this.files = await Promise.all(files.map(async (file) => ({ name: file.name, bytes: await file.arrayBuffer() })));
    this.chosen.textContent = t().text("train.images.chosen", { count: files.length });
    this.restart();
  }

  private restart(): void {
    this.dropZone.hidden = this.source.value !== "files";
    const config = this.config();
    if (!config) {
      this.showProblem(t().text("train.images.badSettings"));
      return;
    }
    this.showProblem(undefined);
    if (config.source === "files" && this.files.length === 0) {
      this.status(t().text("train.images.chooseFiles"));
      return;
    }
    if (!this.worker) {
      this.worker = new Worker(new URL("./digits-worker.ts", import.meta.url), { type: "module", name: "gradstep digits trainer" });
      this.worker.onmessage = (event: MessageEvent<FromDigitsWorker>) => {
        this.receive(event.data);
      };
      this.worker.onerror = (event) => {
        this.showProblem(t().text("train.threadFailed", { error: event.message }));
      };
    }
    this.trainLoss = [];
    this.trainAccuracy = [];
    this.testLoss = [];
    this.testAccuracy = [];
    this.confusion.replaceChildren();
    this.mistakes.replaceChildren();
    for (const key of ["data-epoch", "data-first-test-loss", "data-test-accuracy", "data-test-loss", "data-samples-per-second"])
      this.stats.removeAttribute(key);
    this.run.disabled = true;
    this.awaitingReady = true;
    // The files are copied, not transferred: the view keeps them for the next reset.
    this.post({ type: "start", config, ...(config.source === "files" ? { files: this.files } : {}) });
    this.post({ type: "run", running: this.running });
    this.scheduleDraw();
  }

  /** What trains, on what, and with which settings. */
  private describe(): void {
    const r = this.ready;
    if (!r) return;
    this.network.textContent = t().text("train.images.network", {
      layers: r.layers.join(" → "),
      rate: this.rate.value,
      batch: this.batch.value,
      kernels: r.route,
      threads: r.threads,
      train: count(r.trainCount),
      test: count(r.testCount),
    });
  }

  private changeSettings(): void {
    const config = this.config();
    if (!config) {
      this.showProblem(t().text("train.images.badRate"));
      return;
    }
    this.showProblem(undefined);
    this.post({ type: "settings", learningRate: config.learningRate, batchSize: config.batchSize });
    this.describe();
  }

  private post(message: ToDigitsWorker): void {
    this.worker?.postMessage(message);
  }

  /** Pausing waits for the end of the epoch under way (the trainer runs whole epochs); the button says so until the worker confirms. */
  private setRunning(running: boolean): void {
    this.running = running;
    this.run.textContent = t().text(running ? "page.pause" : "train.images.pausing");
    this.run.setAttribute("aria-pressed", String(running));
    this.post({ type: "run", running });
  }

  private showProblem(text: string | undefined): void {
    this.problem.hidden = text === undefined;
    this.problem.textContent = text ?? "";
  }

  private status(text: string): void {
    this.stats.textContent = text;
  }

  private receive(message: FromDigitsWorker): void {
    if (this.awaitingReady && (message.type === "progress" || message.type === "epoch")) return;
    switch (message.type) {
      case "status":
        this.status(t().text(message.key));
        return;
      case "running":
        if (!message.running && !this.running) {
          this.run.textContent = t().text("train.run");
          announce(t().text("train.paused", { stats: this.stats.textContent }));
        }
        return;
      case "ready": {
        this.awaitingReady = false;
        this.run.disabled = false;
        this.classNames = classNamesIn(message.classNames);
        this.inputs = message.layers[0]!;
        this.drawTitle.textContent = t().text(message.classNames[0] === "0" ? "train.images.drawDigit" : "train.images.drawClothing");
        this.local.load(message.snapshot);
        this.ready = message;
        this.describe();
        Object.assign(this.network.dataset, {
          route: message.route,
          threads: String(message.threads),
          trainCount: String(message.trainCount),
          testCount: String(message.testCount),
        });
        this.status(t().text(this.running ? "train.images.training" : "train.images.ready"));
        this.buildConfusion(undefined);
        this.showProbabilities();
        break;
      }
      case "progress":
        this.trainLoss.push({ x: message.at, y: message.loss });
        this.trainAccuracy.push({ x: message.at, y: message.accuracy });
        if (this.trainLoss.length > MAX_POINTS) {
          const keep = (_: unknown, k: number, all: readonly unknown[]) => k % 2 === 0 || k === all.length - 1;
          this.trainLoss = this.trainLoss.filter(keep);
          this.trainAccuracy = this.trainAccuracy.filter(keep);
        }
        this.stats.dataset.samplesPerSecond = String(Math.round(message.samplesPerSecond));
        this.showStats(message.samplesPerSecond);
        break;
      case "epoch":
        this.testLoss.push({ x: message.epoch, y: message.testLoss });
        this.testAccuracy.push({ x: message.epoch, y: message.testAccuracy });
        Object.assign(this.stats.dataset, {
          epoch: String(message.epoch),
          testAccuracy: String(message.testAccuracy),
          testLoss: String(message.testLoss),
          samplesPerSecond: String(Math.round(message.samplesPerSecond)),
        });
        if (message.epoch === 1) this.stats.dataset.firstTestLoss = String(message.testLoss);
        this.showStats(message.samplesPerSecond);
        this.local.load(message.snapshot);
        this.buildConfusion(message.confusion);
        this.showMistakes(message);
        this.showProbabilities();
        break;
      case "error":
        this.run.disabled = false;
        this.showProblem(t().text("train.stopped", { error: message.key ? t().text(message.key, message.values) : message.message }));
        if (this.running) this.setRunning(false);
        return;
    }
    this.scheduleDraw();
  }

  private showStats(samplesPerSecond: number): void {
    const epoch = this.stats.dataset.epoch;
    const test = this.testAccuracy.at(-1);
    this.stats.textContent =
      t().text("train.images.stats", { speed: count(Math.round(samplesPerSecond)), epoch: epoch ?? "0" }) +
      (test ? t().text("train.images.statsTest", { accuracy: percent(test.y), loss: this.testLoss.at(-1)!.y.toFixed(4) }) : "") +
      (this.trainLoss.length > 0
        ? t().text("train.images.statsRecent", { loss: this.trainLoss.at(-1)!.y.toFixed(4), accuracy: percent(this.trainAccuracy.at(-1)!.y) })
        : "");
  }

  private buildConfusion(counts: Int32Array | undefined): void {
    this.confusion.replaceChildren(...confusionRows(this.classNames, counts));
  }

  private showMistakes(message: Extract<FromDigitsWorker, { type: "epoch" }>): void {
    this.mistakes.replaceChildren(...mistakeFigures(this.classNames, message.misclassified));
    this.mistakesCaption.textContent = t().text("train.images.mistakesShown", { shown: message.misclassified.length, wrong: count(message.wrong) });
  }

  /** The latest network's probabilities for the drawing (none for an empty one, or for inputs other than 28 × 28). */
  private showProbabilities(): void {
    const input = this.drawing;
    const p = !input || input.every((v) => v === 0) || this.inputs !== input.length ? undefined : this.local.probabilities(input);
    this.probabilities.replaceChildren(...probabilityItems(this.classNames, p));
  }

  private scheduleDraw(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.draw();
    });
  }

  private draw(): void {
    if (!this.element.offsetParent) return;
    const loss: Series[] = [
      { label: t().text("train.images.trainingBatches"), color: TRAIN, points: this.trainLoss },
      { label: t().text("train.images.testSet"), color: TEST, points: this.testLoss, dots: true },
    ];
    drawCurves(this.lossPlot, loss, { log: true });
    const accuracy: Series[] = [
      { label: t().text("train.images.trainingBatches"), color: TRAIN, points: this.trainAccuracy },
      { label: t().text("train.images.testSet"), color: TEST, points: this.testAccuracy, dots: true },
    ];
    drawCurves(this.accuracyPlot, accuracy, { log: false, range: [0, 1] });
  }
}
