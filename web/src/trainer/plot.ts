/** Drawing for the trainer: the decision boundary with the data on it, and the loss curve. */

import { cssColor, fitted } from "./canvas.js";
import { t } from "../words.js";

const CLASS_ONE = [47, 111, 222] as const;
const CLASS_ZERO = [224, 123, 57] as const;

/** The network's output over [−1, 1]² as a colour field (orange for 0, blue for 1), and the points on top. */
export function drawBoundary(
  canvas: HTMLCanvasElement,
  grid: { size: number; values: Float32Array } | undefined,
  points: readonly (readonly number[])[],
  labels: readonly (readonly number[])[],
): void {
  const fit = fitted(canvas);
  if (!fit) return;
  const { g, width, height } = fit;
  g.fillStyle = cssColor("--paper", "#fff");
  g.fillRect(0, 0, width, height);
  if (grid) {
    const image = new ImageData(grid.size, grid.size);
    for (let k = 0; k < grid.values.length; k++) {
      const p = grid.values[k]!;
      const strength = Math.min(1, Math.abs(p - 0.5) * 2);
      const color = p > 0.5 ? CLASS_ONE : CLASS_ZERO;
      image.data.set([color[0], color[1], color[2], Math.round(40 + 120 * strength)], k * 4);
    }
    const tile = document.createElement("canvas");
    tile.width = tile.height = grid.size;
    tile.getContext("2d")?.putImageData(image, 0, 0);
    g.imageSmoothingEnabled = true;
    g.drawImage(tile, 0, 0, width, height);
  }
  const ink = cssColor("--ink", "#1d2433");
  points.forEach((point, k) => {
    const x = ((point[0]! + 1) / 2) * width,
      y = ((1 - point[1]!) / 2) * height;
    const color = labels[k]![0]! > 0.5 ? CLASS_ONE : CLASS_ZERO;
    g.beginPath();
    g.arc(x, y, 3.6, 0, 2 * Math.PI);
    g.fillStyle = `rgb(${color.join(",")})`;
    g.fill();
    g.lineWidth = 1;
    g.strokeStyle = ink;
    g.stroke();
  });
}

/** The loss after each recorded step, with its scale. */
export function drawLoss(canvas: HTMLCanvasElement, history: readonly { step: number; loss: number }[]): void {
  const fit = fitted(canvas);
  if (!fit) return;
  const { g, width, height } = fit;
  const muted = cssColor("--muted", "#5b6478"),
    accent = cssColor("--accent", "#2f6fde");
  g.clearRect(0, 0, width, height);
  const left = 44,
    right = 10,
    top = 10,
    bottom = 22;
  g.strokeStyle = muted;
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(left, top);
  g.lineTo(left, height - bottom);
  g.lineTo(width - right, height - bottom);
  g.stroke();
  g.fillStyle = muted;
  g.font = "11px system-ui, sans-serif";
  if (history.length === 0) return;
  const highest = Math.max(...history.map((h) => h.loss), 1e-9);
  const last = history.at(-1)!;
  const maxStep = Math.max(last.step, 1);
  g.fillText(highest.toFixed(2), 4, top + 8);
  g.fillText("0", 30, height - bottom);
  const stepText = t().text("train.plane.lossAxis", { step: last.step });
  g.textAlign = "right";
  g.fillText(stepText, width - right, height - 6);
  g.textAlign = "left";
  g.strokeStyle = accent;
  g.lineWidth = 2;
  g.beginPath();
  history.forEach((h, k) => {
    const x = left + ((width - left - right) * h.step) / maxStep;
    const y = top + (height - top - bottom) * (1 - h.loss / highest);
    if (k === 0) g.moveTo(x, y);
    else g.lineTo(x, y);
  });
  g.stroke();
}
