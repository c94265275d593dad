import { HIDDEN_ACTIVATIONS, type HiddenActivation } from "../../../src/rules/activations.js";
import { activationLabel } from "../../../src/explain/solution.js";
import { announce, h } from "../dom.js";
import { t } from "../words.js";
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
  private readonly dataset = h("select", { id: "train-dataset" }, ...DATASETS.map((d) => h("option", { value: d }, t().text(DATASET_LABELS[d]))));
  private readonly hidden = h("input", {
    id: "train-hidden",
    type: "text",
    value: "6, 6",
    title: t().text("train.plane.hiddenTitle"),
    autocomplete: "off",
  });
  private readonly activation = h("select", { id: "train-activation" }, ...ACTIVATIONS.map((a) => h("option", { value: a }, activationLabel(t(), a))));
  private readonly rate = h("input", { id: "train-rate", type: "number", value: "0.5", min: "0", step: "0.05" });
  private readonly run = h("button", { type: "button", id: "train-run", class: "primary", "aria-pressed": "false" }, t().text("train.run"));
  private readonly reset = h("button", { type: "button", id: "train-reset" }, t().text("page.reset"));
  private readonly boundary = h("canvas", {
    id: "train-boundary",
    role: "img",
    "aria-label": t().text("train.plane.boundaryLabel"),
  });
  private readonly lossPlot = h("canvas", { id: "train-loss", role: "img", "aria-label": t().text("train.plane.lossLabel") });
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
      h("p", { class: "hint" }, t().text("train.plane.intro")),
      h(
        "div",
        { class: "train-controls" },
        field(t().text("train.plane.dataset"), this.dataset),
        field(t().text("train.plane.hidden"), this.hidden),
        field(t().text("train.activation"), this.activation),
        field(t().text("train.learningRate"), this.rate),
        h("div", { class: "row" }, this.run, this.reset),
      ),
      this.problem,
      h(
        "div",
        { class: "train-plots" },
        h("figure", {}, this.boundary, h("figcaption", {}, t().text("train.plane.boundary"))),
        h("figure", {}, this.lossPlot, h("figcaption", {}, t().text("train.plane.lossCaption"))),
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
      this.showProblem(t().text("train.plane.badHidden"));
      return;
    }
    this.showProblem(undefined);
    if (!this.worker) {
      this.worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
      this.worker.onmessage = (event: MessageEvent<FromWorker>) => {
        this.receive(event.data);
      };
      this.worker.onerror = (event) => {
        this.showProblem(t().text("train.threadFailed", { error: event.message }));
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
    this.network.textContent = t().text("train.plane.network", {
      layers: config.hidden.join(" → "),
      activation: activationLabel(t(), config.activation),
      kernels: kernels ?? "none",
    });
    if (kernels) this.network.dataset.kernels = kernels;
    else delete this.network.dataset.kernels;
  }

  private post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private setRunning(running: boolean): void {
    this.running = running;
    this.run.textContent = t().text(running ? "page.pause" : "train.run");
    this.run.setAttribute("aria-pressed", String(running));
    this.post({ type: "run", running });
    if (!running) announce(t().text("train.paused", { stats: this.stats.textContent }));
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
        this.stats.textContent = t().text("train.plane.stats", {
          step: message.step,
          loss: message.loss.toFixed(4),
          accuracy: `${(message.accuracy * 100).toFixed(1)}%`,
        });
        this.stats.dataset.step = String(message.step);
        this.stats.dataset.loss = String(message.loss);
        this.stats.dataset.firstLoss = String(this.history[0]!.loss);
        break;
      }
      case "boundary":
        this.grid = message;
        break;
      case "error":
        this.showProblem(t().text("train.stopped", { error: message.message }));
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
