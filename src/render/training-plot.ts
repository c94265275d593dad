import type { EpochMetrics } from "../train/trainer.js";
import { escapeHtml } from "./html.js";

const WIDTH = 720,
  HEIGHT = 300,
  MARGIN = { left: 56, right: 56, top: 36, bottom: 40 };

/**
 * Loss (left axis) and accuracy (right axis) per epoch, for the training set
 * and the held-out set, as one self-contained SVG. A regression has no
 * accuracy: its right axis is the held-out R² (clamped to [0, 1]).
 */
export function renderTrainingPlot(history: readonly EpochMetrics[], title: string): string {
  const regression = history.some((m) => m.testR2 !== undefined);
  const clamp = (v: number | undefined) => Math.min(1, Math.max(0, v ?? 0));
  const metric = regression ? "R²" : "accuracy";
  const epochs = history.map((m) => m.epoch);
  const maxEpoch = Math.max(1, ...epochs);
  const losses = history.flatMap((m) => [m.trainLoss, m.testLoss]);
  const maxLoss = Math.max(1e-9, ...losses) * 1.05;
  const x = (epoch: number) =>
    MARGIN.left + ((epoch - (maxEpoch > 1 ? 1 : 0)) / Math.max(1, maxEpoch - (maxEpoch > 1 ? 1 : 0))) * (WIDTH - MARGIN.left - MARGIN.right);
  const yLoss = (v: number) => HEIGHT - MARGIN.bottom - (v / maxLoss) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  const yAccuracy = (v: number) => HEIGHT - MARGIN.bottom - v * (HEIGHT - MARGIN.top - MARGIN.bottom);
  const line = (pick: (m: EpochMetrics) => number, y: (v: number) => number, color: string, dash = "") =>
    `<polyline fill="none" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""} points="${history.map((m) => `${x(m.epoch).toFixed(1)},${y(pick(m)).toFixed(1)}`).join(" ")}"/>`;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${escapeHtml(title)}</text>
${ticks.map((t) => `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${yAccuracy(t)}" y2="${yAccuracy(t)}" stroke="#e5e7eb"/><text x="${WIDTH - MARGIN.right + 6}" y="${yAccuracy(t) + 4}" fill="#2563eb">${regression ? t.toFixed(2) : `${Math.round(t * 100)}%`}</text><text x="${MARGIN.left - 6}" y="${yLoss(t * maxLoss) + 4}" text-anchor="end" fill="#dc2626">${(t * maxLoss).toFixed(2)}</text>`).join("\n")}
${epochs.map((e) => `<text x="${x(e)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${e}</text>`).join("")}
<text x="${WIDTH / 2}" y="${HEIGHT - 6}" text-anchor="middle">epoch</text>
${line((m) => m.trainLoss, yLoss, "#dc2626")}
${line((m) => m.testLoss, yLoss, "#dc2626", "6 4")}
${regression ? "" : line((m) => clamp(m.trainAccuracy), yAccuracy, "#2563eb")}
${line((m) => clamp(regression ? m.testR2 : m.testAccuracy), yAccuracy, "#2563eb", "6 4")}
<g transform="translate(${MARGIN.left + 8}, ${MARGIN.top + 4})">
<line x1="0" x2="20" y1="0" y2="0" stroke="#dc2626" stroke-width="2"/><text x="24" y="4">train loss</text>
<line x1="100" x2="120" y1="0" y2="0" stroke="#dc2626" stroke-width="2" stroke-dasharray="6 4"/><text x="124" y="4">test loss</text>
${regression ? "" : `<line x1="200" x2="220" y1="0" y2="0" stroke="#2563eb" stroke-width="2"/><text x="224" y="4">train ${metric}</text>`}
<line x1="320" x2="340" y1="0" y2="0" stroke="#2563eb" stroke-width="2" stroke-dasharray="6 4"/><text x="344" y="4">test ${metric}</text>
</g>
</svg>
`;
}
