import { Rng } from "../../../src/engine/rng.js";
import type { MessageKey } from "../../../src/i18n/translate.js";

/**
 * Small two-dimensional classification sets, drawn with the project's seeded
 * RNG so that the same seed gives the same points in every browser. Points
 * lie in [−1, 1]²; labels are 0 or 1.
 */
export const DATASETS = ["xor", "circles", "spirals"] as const;
export type DatasetName = (typeof DATASETS)[number];

/** Each set's name in the page's catalogue. */
export const DATASET_LABELS = {
  xor: "train.plane.xor",
  circles: "train.plane.circles",
  spirals: "train.plane.spirals",
} as const satisfies Readonly<Record<DatasetName, MessageKey>>;

export interface Dataset {
  /** count × 2. */
  readonly points: number[][];
  /** count × 1, each 0 or 1. */
  readonly labels: number[][];
}

function xor(rng: Rng, count: number): Dataset {
  const points: number[][] = [],
    labels: number[][] = [];
  while (points.length < count) {
    const x = rng.uniform(-1, 1),
      y = rng.uniform(-1, 1);
    // A margin along the axes keeps the classes apart.
    if (Math.abs(x) < 0.06 || Math.abs(y) < 0.06) continue;
    points.push([x, y]);
    labels.push([x * y > 0 ? 1 : 0]);
  }
  return { points, labels };
}

function circles(rng: Rng, count: number): Dataset {
  const points: number[][] = [],
    labels: number[][] = [];
  for (let k = 0; k < count; k++) {
    const inside = k % 2 === 0;
    const radius = inside ? rng.uniform(0, 0.45) : rng.uniform(0.65, 0.95);
    const angle = rng.uniform(0, 2 * Math.PI);
    points.push([radius * Math.cos(angle), radius * Math.sin(angle)]);
    labels.push([inside ? 1 : 0]);
  }
  return { points, labels };
}

function spirals(rng: Rng, count: number): Dataset {
  const points: number[][] = [],
    labels: number[][] = [];
  const perArm = Math.floor(count / 2);
  for (let arm = 0; arm < 2; arm++) {
    for (let k = 0; k < perArm; k++) {
      const t = k / perArm;
      const radius = 0.08 + 0.85 * t;
      const angle = 1.6 * 2 * Math.PI * t + arm * Math.PI;
      points.push([radius * Math.cos(angle) + rng.uniform(-0.03, 0.03), radius * Math.sin(angle) + rng.uniform(-0.03, 0.03)]);
      labels.push([arm]);
    }
  }
  return { points, labels };
}

export function makeDataset(name: DatasetName, seed: number, count = 240): Dataset {
  const rng = new Rng(seed);
  switch (name) {
    case "xor":
      return xor(rng, count);
    case "circles":
      return circles(rng, count);
    case "spirals":
      return spirals(rng, count);
  }
}
