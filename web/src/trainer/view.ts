import { ACTIVATION_RULES, HIDDEN_ACTIVATIONS, type HiddenActivation } from "../../../src/rules/activations.js";
import { announce, h } from "../dom.js";
import { DATASET_LABELS, DATASETS, type DatasetName } from "./datasets.js";
import { drawBoundary, drawLoss } from "./plot.js";
import type { Route } from "../../../src/kernels/routes.js";
import type { FromWorker, ToWorker, TrainConfig } from "./protocol.js";

/**
 * The training view: pick a data set, hidden layer sizes, an activation and
 * a learning rate; start and pause. The float32 engine trains in a Web
 * Worker, so the page stays responsive; the view draws the decision
 * boundary and the loss curve as reports arrive.
 */

const MAX_HISTORY = 400;
/** Every hidden activation of the rules table, tanh (the playground's classic) first. */
const ACTIVATIONS: readonly HiddenActivation[] = ["tanh", ...HIDDEN_ACTIVATIONS.filter((a) => a !== "tanh")];

/** "4, 4" → [4, 4]: one to four hidden layers of 1 to 32 neurons. */
export function readHidden(text: string): number[] | undefined {
  const sizes = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  return sizes.length >= 1 && sizes.length <= 4 && sizes.every((n) => Number.isInteger(n) && n >= 1 && n <= 32) ? sizes : undefined;
}

export class TrainerView {
  private worker: Worker | undefined;
  private running = false;
  private history: { step: number; loss: number }[] = [];
  private data: { points: readonly (readonly number[])[]; labels: readonly (readonly number[])[] } = { points: [], labels: [] };
  private grid: { size: number; values: Float32Array } | undefined;
  private frame: number | undefined;
  private shown: TrainConfig | undefined;
  private readonly dataset = h("select", { id: "train-dataset" }, ...DATASETS.map((d) => h("option", { value: d }, DATASET_LABELS[d])));
  private readonly hidden = h("input", {
    id: "train-hidden",
    type: "text",
    value: "6, 6",
    title: "Neurons per hidden layer, separated by commas: 1 to 4 layers of 1 to 32",
    autocomplete: "off",
  });
  private readonly activation = h("select", { id: "train-activation" }, ...ACTIVATIONS.map((a) => h("option", { value: a }, ACTIVATION_RULES[a].label)));
  private readonly rate = h("input", { id: "train-rate", type: "number", value: "0.5", min: "0", step: "0.05" });
  private readonly run = h("button", { type: "button", id: "train-run", class: "primary", "aria-pressed": "false" }, "▶ Train");
  private readonly reset = h("button", { type: "button", id: "train-reset" }, "⟲ Reset");
  private readonly boundary = h("canvas", {
    id: "train-boundary",
    role: "img",
    "aria-label": "Decision boundary: the network's output over the plane, with the training points",
  });
  private readonly lossPlot = h("canvas", { id: "train-loss", role: "img", "aria-label": "Loss curve" });
  private readonly stats = h("p", { id: "train-stats", class: "stats" });
  private readonly network = h("p", { id: "train-network", class: "hint" });
  private readonly problem = h("p", { class: "notice error", role: "alert", hidden: true });

  constructor(private readonly root: HTMLElement) {
    this.run.addEventListener("click", () => {
      this.setRunning(!this.running);
    });
    this.reset.addEventListener("click", () => {
      this.restart();
    });
    for (const control of [this.dataset, this.activation, this.hidden])
      control.addEventListener("change", () => {
        this.restart();
      });
    this.rate.addEventListener("change", () => {
      const value = Number(this.rate.value);
      if (Number.isFinite(value) && value >= 0) this.post({ type: "learningRate", value });
    });
    const field = (label: string, control: HTMLElement) => h("label", { class: "field" }, h("span", {}, label), control);
    root.append(
      h(
        "p",
        { class: "hint" },
        "A small network learns to separate two classes of points, with the same engine in float32, in a background thread. Orange is class 0, blue is class 1; the shading is the network's output.",
      ),
      h(
        "div",
        { class: "train-controls" },
        field("Data set", this.dataset),
        field("Hidden layers (e.g. 6, 6)", this.hidden),
        field("Activation", this.activation),
        field("Learning rate", this.rate),
        h("div", { class: "row" }, this.run, this.reset),
      ),
      this.problem,
      h(
        "div",
        { class: "train-plots" },
        h("figure", {}, this.boundary, h("figcaption", {}, "Decision boundary")),
        h("figure", {}, this.lossPlot, h("figcaption", {}, "Training loss")),
        this.stats,
        this.network,
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

  private config(): TrainConfig | undefined {
    const hidden = readHidden(this.hidden.value);
    this.hidden.setAttribute("aria-invalid", String(hidden === undefined));
    const learningRate = Number(this.rate.value);
    if (!hidden || !Number.isFinite(learningRate) || learningRate < 0) return undefined;
    return { dataset: this.dataset.value as DatasetName, hidden, activation: this.activation.value as TrainConfig["activation"], learningRate, seed: 7 };
  }

  private restart(): void {
    const config = this.config();
    if (!config) {
      this.showProblem("Hidden layers: one to four sizes from 1 to 32, separated by commas (like 6, 6).");
      return;
    }
    this.showProblem(undefined);
    if (!this.worker) {
      this.worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
      this.worker.onmessage = (event: MessageEvent<FromWorker>) => {
        this.receive(event.data);
      };
      this.worker.onerror = (event) => {
        this.showProblem(`The training thread failed: ${event.message}`);
      };
    }
    this.history = [];
    this.grid = undefined;
    this.shown = config;
    this.describeNetwork(undefined);
    this.post({ type: "reset", config });
  }

  private describeNetwork(kernels: Route | undefined): void {
    const config = this.shown;
    if (!config) return;
    const where =
      kernels === undefined
        ? ""
        : kernels === "js"
          ? " (TypeScript: this browser has no WebAssembly SIMD)"
          : ` on WebAssembly ${kernels === "relaxed" ? "relaxed SIMD" : "SIMD"} kernels`;
    this.network.textContent = `Network 2 → ${config.hidden.join(" → ")} → 1: ${config.activation} hidden layers, a sigmoid output, binary cross-entropy; full-batch gradient descent in float32${where}.`;
    if (kernels) this.network.dataset.kernels = kernels;
    else delete this.network.dataset.kernels;
  }

  private post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private setRunning(running: boolean): void {
    this.running = running;
    this.run.textContent = running ? "❚❚ Pause" : "▶ Train";
    this.run.setAttribute("aria-pressed", String(running));
    this.post({ type: "run", running });
    if (!running) announce(`Training paused. ${this.stats.textContent}`);
  }

  private showProblem(text: string | undefined): void {
    this.problem.hidden = text === undefined;
    this.problem.textContent = text ?? "";
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case "data":
        this.data = message;
        this.describeNetwork(message.kernels);
        break;
      case "progress": {
        const last = this.history.at(-1);
        if (!last || last.step !== message.step) this.history.push({ step: message.step, loss: message.loss });
        // Keep the curve light: drop every other point when it grows long (the first and last stay).
        if (this.history.length > MAX_HISTORY) this.history = this.history.filter((_, k) => k % 2 === 0 || k === this.history.length - 1);
        this.stats.textContent = `Step ${message.step} · loss ${message.loss.toFixed(4)} · accuracy ${(message.accuracy * 100).toFixed(1)}%`;
        this.stats.dataset.step = String(message.step);
        this.stats.dataset.loss = String(message.loss);
        this.stats.dataset.firstLoss = String(this.history[0]!.loss);
        break;
      }
      case "boundary":
        this.grid = message;
        break;
      case "error":
        this.showProblem(`Training stopped: ${message.message}`);
        this.setRunning(false);
        return;
    }
    this.scheduleDraw();
  }

  private scheduleDraw(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.draw();
    });
  }

  private draw(): void {
    if (!this.root.offsetParent) return;
    drawBoundary(this.boundary, this.grid, this.data.points, this.data.labels);
    drawLoss(this.lossPlot, this.history);
  }
}
