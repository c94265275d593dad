/** Drawing for the digits trainer: curves over epochs (log-scaled loss, accuracy), and 28×28 images. */

import { cssColor, fitted } from "./canvas.js";
import { t } from "../words.js";

export interface Series {
  readonly label: string;
  readonly color: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  /** Marks each point (for sparse series such as one value per epoch). */
  readonly dots?: boolean;
}

/** Ticks at 1, 2, 5 × powers of ten between `low` and `high` (both > 0). */
function logTicks(low: number, high: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(low)); e <= Math.ceil(Math.log10(high)); e++) {
    for (const m of [1, 2, 5]) {
      const t = m * 10 ** e;
      if (t >= low * 0.999 && t <= high * 1.001) ticks.push(t);
    }
  }
  return ticks;
}

const tickText = (t: number): string => (t >= 1 ? String(Math.round(t * 100) / 100) : t.toPrecision(1));

/**
 * Curves against epochs: `y` on a log scale (a loss) or linear from `range`
 * (an accuracy, as a percentage), with a legend.
 */
export function drawCurves(
  canvas: HTMLCanvasElement,
  series: readonly Series[],
  axis: { readonly log: boolean; readonly range?: readonly [number, number] },
): void {
  const fit = fitted(canvas);
  if (!fit) return;
  const { g, width, height } = fit;
  const muted = cssColor("--muted", "#5b6478"),
    rule = cssColor("--rule", "#d5dae3");
  g.clearRect(0, 0, width, height);
  const left = 46,
    right = 12,
    top = 24,
    bottom = 24;
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y) && (!axis.log || p.y > 0));
  const maxX = Math.max(1, ...all.map((p) => p.x));
  let low = axis.range?.[0] ?? Math.min(...all.map((p) => p.y)),
    high = axis.range?.[1] ?? Math.max(...all.map((p) => p.y));
  if (all.length === 0 && !axis.range) [low, high] = axis.log ? [0.01, 10] : [0, 1];
  // A log axis spans whole half-decades around the values.
  if (axis.log) [low, high] = [10 ** (Math.floor(Math.log10(low) * 2) / 2), 10 ** (Math.ceil(Math.log10(high) * 2) / 2)];
  const scaleY = (y: number): number => {
    const f = axis.log ? (Math.log10(y) - Math.log10(low)) / (Math.log10(high) - Math.log10(low) || 1) : (y - low) / (high - low || 1);
    return top + (height - top - bottom) * (1 - f);
  };
  const scaleX = (x: number): number => left + ((width - left - right) * x) / maxX;
  g.font = "11px system-ui, sans-serif";
  g.lineWidth = 1;
  // Grid lines with their values.
  const ticks = axis.log ? logTicks(low, high) : [0, 0.25, 0.5, 0.75, 1].map((f) => low + f * (high - low));
  g.fillStyle = muted;
  g.textAlign = "right";
  for (const t of ticks) {
    const y = scaleY(t);
    g.strokeStyle = rule;
    g.beginPath();
    g.moveTo(left, y);
    g.lineTo(width - right, y);
    g.stroke();
    g.fillText(axis.log ? tickText(t) : `${Math.round(t * 100)}%`, left - 5, y + 4);
  }
  g.textAlign = "left";
  g.strokeStyle = muted;
  g.beginPath();
  g.moveTo(left, top);
  g.lineTo(left, height - bottom);
  g.lineTo(width - right, height - bottom);
  g.stroke();
  // Whole epochs along the bottom, at most ten labels.
  g.textAlign = "center";
  const every = Math.max(1, Math.ceil(maxX / 10));
  for (let e = every; e <= maxX; e += every) g.fillText(String(e), scaleX(e), height - 8);
  g.textAlign = "left";
  g.fillText(t().text("train.images.epochAxis"), 4, height - 8);
  // The legend, across the top.
  let legendX = left;
  for (const s of series) {
    g.fillStyle = s.color;
    g.fillRect(legendX, 8, 14, 3);
    g.fillStyle = muted;
    g.fillText(s.label, legendX + 18, 13);
    legendX += 26 + g.measureText(s.label).width;
  }
  for (const s of series) {
    const points = s.points.filter((p) => Number.isFinite(p.y) && (!axis.log || p.y > 0));
    g.strokeStyle = g.fillStyle = s.color;
    g.lineWidth = 1.75;
    g.beginPath();
    points.forEach((p, k) => {
      const x = scaleX(p.x),
        y = scaleY(Math.min(high, Math.max(low, p.y)));
      if (k === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    });
    g.stroke();
    if (s.dots) {
      for (const p of points) {
        g.beginPath();
        g.arc(scaleX(p.x), scaleY(Math.min(high, Math.max(low, p.y))), 3, 0, 2 * Math.PI);
        g.fill();
      }
    }
  }
}

/** A 28×28 image of grey levels (0 background, 255 ink) drawn dark on light into a canvas of its own size. */
export function drawImage(canvas: HTMLCanvasElement, pixels: ArrayLike<number>, side = 28): void {
  canvas.width = canvas.height = side;
  const g = canvas.getContext("2d");
  if (!g) return;
  const image = new ImageData(side, side);
  for (let k = 0; k < side * side; k++) {
    const v = 255 - Math.round(pixels[k]!);
    image.data.set([v, v, v, 255], k * 4);
  }
  g.putImageData(image, 0, 0);
}
