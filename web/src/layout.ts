import type { Problem } from "../../src/problem/problem.js";

/**
 * Where each part of the network diagram goes, in SVG user units. Layers
 * with more neurons than fit are drawn as their first neurons, a gap ("⋮ n
 * more") and the last neuron, so any size stays legible.
 */
export const MAX_DRAWN = 8;

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Column {
  readonly x: number;
  readonly width: number;
  /** The drawn neurons (by index) and the box of each. */
  readonly nodes: ReadonlyMap<number, Box>;
  /** The gap standing for the neurons left out, and how many. */
  readonly gap: { readonly y: number; readonly hidden: number } | undefined;
}

export interface DiagramLayout {
  readonly width: number;
  readonly height: number;
  /** Where the column headings go, and where a shared bias sits. */
  readonly headingY: number;
  readonly sharedBiasY: number;
  readonly inputs: Column;
  readonly layers: readonly Column[];
  readonly targets: Column;
  readonly loss: Box;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Which neurons of a column are drawn: all when they fit, else the first ones and the last. */
export function drawnIndices(count: number, max = MAX_DRAWN): { shown: number[]; gapAfter: number | undefined; hidden: number } {
  if (count <= max) return { shown: range(count), gapAfter: undefined, hidden: 0 };
  const head = max - 2;
  return { shown: [...range(head), count - 1], gapAfter: head - 1, hidden: count - head - 1 };
}

const INPUT_W = 84,
  INPUT_H = 50;
const NEURON_W = 136,
  NEURON_H = 80;
const GAP_H = 26;
/** Room between cards: a per-neuron bias sits above its card. */
const SPACING = 40;
const COLUMN_GAP = 160,
  TARGET_GAP = 48,
  LOSS_GAP = 28,
  LOSS_W = 116,
  LOSS_H = 58;
const MARGIN = 14,
  HEADING = 72;

function column(x: number, width: number, height: number, count: number, bodyHeight: number): Column {
  const { shown, gapAfter, hidden } = drawnIndices(count);
  const pitch = height + SPACING;
  const total = shown.length * pitch - SPACING + (gapAfter === undefined ? 0 : GAP_H + SPACING);
  let y = HEADING + (bodyHeight - total) / 2;
  const nodes = new Map<number, Box>();
  let gap: Column["gap"];
  for (const index of shown) {
    nodes.set(index, { x, y, w: width, h: height });
    y += pitch;
    if (index === gapAfter) {
      gap = { y: y + GAP_H / 2, hidden };
      y += GAP_H + SPACING;
    }
  }
  return { x, width, nodes, gap };
}

function columnHeight(count: number, height: number): number {
  const { shown, gapAfter } = drawnIndices(count);
  return shown.length * (height + SPACING) - SPACING + (gapAfter === undefined ? 0 : GAP_H + SPACING);
}

export function layoutDiagram(problem: Problem): DiagramLayout {
  const { network } = problem;
  const units = network.layers.map((l) => l.units);
  const outputs = units.at(-1)!;
  const bodyHeight = Math.max(columnHeight(network.inputs, INPUT_H), ...units.map((u) => columnHeight(u, NEURON_H)), LOSS_H);
  let x = MARGIN;
  const inputs = column(x, INPUT_W, INPUT_H, network.inputs, bodyHeight);
  x += INPUT_W + COLUMN_GAP;
  const layers = units.map((count, k) => {
    const c = column(x, NEURON_W, NEURON_H, count, bodyHeight);
    x += NEURON_W + (k === units.length - 1 ? TARGET_GAP : COLUMN_GAP);
    return c;
  });
  const targets = column(x, INPUT_W, INPUT_H, outputs, bodyHeight);
  x += INPUT_W + LOSS_GAP;
  const loss = { x, y: HEADING + (bodyHeight - LOSS_H) / 2, w: LOSS_W, h: LOSS_H };
  x += LOSS_W + MARGIN;
  return { width: x, height: HEADING + bodyHeight + MARGIN + 8, headingY: 22, sharedBiasY: 36, inputs, layers, targets, loss };
}

/** A label to put on a line from (x1, y1) to (x2, y2), ideally at fraction `t` along it. */
export interface LineLabel {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly width: number;
  readonly height: number;
  readonly t: number;
}

function overlaps(a: Box, b: Box, margin: number): boolean {
  return a.x < b.x + b.w + margin && b.x < a.x + a.w + margin && a.y < b.y + b.h + margin && b.y < a.y + a.h + margin;
}

/**
 * Where each label's centre goes: at its preferred place along its line when
 * that is free, else at the nearest free place along the line (greedily, in
 * order), so that labels of crossing connections do not cover each other
 * or the `obstacles` (the cards at either end). A label with no free place
 * is not `free`: it is shown only on demand.
 */
export function placeLabels(labels: readonly LineLabel[], obstacles: readonly Box[] = []): { x: number; y: number; free: boolean }[] {
  const placed: Box[] = [...obstacles];
  const candidates = Array.from({ length: 13 }, (_, k) => 0.2 + k * 0.05);
  return labels.map((label) => {
    const at = (t: number) => ({ x: label.x1 + (label.x2 - label.x1) * t, y: label.y1 + (label.y2 - label.y1) * t });
    const boxAt = (t: number): Box => {
      const { x, y } = at(t);
      return { x: x - label.width / 2, y: y - label.height / 2, w: label.width, h: label.height };
    };
    const order = [label.t, ...[...candidates].sort((a, b) => Math.abs(a - label.t) - Math.abs(b - label.t))];
    const t = order.find((c) => !placed.some((box) => overlaps(box, boxAt(c), 4)));
    if (t === undefined) return { ...at(label.t), free: false };
    placed.push(boxAt(t));
    return { ...at(t), free: true };
  });
}
