import { ACTIVATION_RULES } from "../../src/rules/activations.js";
import { activationLabel } from "../../src/explain/solution.js";
import { pathOf, type Quantity } from "../../src/explain/quantity.js";
import { formatPath } from "../../src/json-path.js";
import { s } from "./dom.js";
import { full, nameOf, shown } from "./format.js";
import { layoutDiagram, placeLabels, type Box, type Column, type LineLabel } from "./layout.js";
import { backwardDone, forwardDone, lossDone, type Phase } from "./phases.js";
import type { Selection, State } from "./store.js";
import { t } from "./words.js";

/**
 * The network drawn as SVG: inputs, neurons with their z and a (and ∂L/∂z
 * once the backward pass reaches them), connections coloured and sized by
 * their weight, biases, targets, the loss and η. Every part is a focusable
 * button carrying what it selects (data-kind, data-layer, data-j, data-i),
 * its full-precision values (data-readout) and, on each number shown, the
 * trace path it comes from (data-path).
 */

/** Drawn connections per layer above which weights are labelled only on hover, focus or selection. */
const LABEL_LIMIT = 16;
const DASH = "—";

interface Context {
  readonly state: State;
  readonly phase: Phase;
  readonly step: number;
  /** Whether this step has a backward pass (the final forward pass has none). */
  readonly hasBackward: boolean;
  readonly value: (q: Quantity) => number;
  readonly path: (q: Quantity) => string;
  readonly name: (q: Quantity) => string;
  readonly short: (value: number) => string;
}

function isSelected(selection: Selection | undefined, item: Selection): boolean {
  return selection !== undefined && JSON.stringify(selection) === JSON.stringify(item);
}

function dataOf(item: Selection): Record<string, string | number | undefined> {
  return {
    "data-kind": item.kind,
    "data-layer": "layer" in item ? item.layer : undefined,
    "data-j": "j" in item ? item.j : undefined,
    "data-i": "i" in item ? item.i : undefined,
  };
}

/** A focusable group for one selectable part of the diagram. */
function itemGroup(c: Context, item: Selection, classes: string, label: string, readout: string, ...children: SVGElement[]): SVGGElement {
  const selected = isSelected(c.state.selection, item);
  return s(
    "g",
    {
      class: `item ${item.kind} ${classes}${selected ? " selected" : ""}`,
      role: "button",
      tabindex: 0,
      "aria-label": label,
      "aria-pressed": selected,
      "data-readout": readout,
      ...dataOf(item),
    },
    s("title", {}, readout),
    ...children,
  );
}

function text(x: number, y: number, content: string, attributes: Record<string, string | number | undefined> = {}): SVGTextElement {
  return s("text", { x, y, ...attributes }, content);
}

/** One labelled number inside a card: the label on the left, the value right-aligned, its trace path attached. */
function row(box: Box, y: number, label: string, value: string, path: string | undefined): SVGElement[] {
  return [
    text(box.x + 10, y, label, { class: "row-label" }),
    text(box.x + box.w - 10, y, value, { class: `value${path ? "" : " pending"}`, "text-anchor": "end", "data-path": path }),
  ];
}

function card(box: Box, current: boolean): SVGRectElement {
  return s("rect", { class: `card${current ? " current" : ""}`, x: box.x, y: box.y, width: box.w, height: box.h, rx: 10 });
}

function neuron(c: Context, layer: number, j: number, box: Box): SVGGElement {
  const { problem } = c.state.exercise;
  const sample = c.state.sample;
  const at = { step: c.step, layer, sample, j };
  const zq: Quantity = { kind: "z", ...at },
    aq: Quantity = { kind: "a", ...at },
    dzq: Quantity = { kind: "dz", ...at };
  const computed = forwardDone(c.phase, layer);
  const delta = c.hasBackward && backwardDone(c.phase, layer);
  const current = (c.phase.kind === "forward" || c.phase.kind === "backward") && c.phase.layer === layer;
  const activation = ACTIVATION_RULES[problem.network.layers[layer]!.activation];
  const aName = nameOf(c.state.exercise.solution, { ...aq, sample: 0 });
  const parts = [
    computed && `${c.name(zq)} = ${full(c.value(zq))}`,
    computed && `${c.name(aq)} = ${full(c.value(aq))}`,
    delta && `${c.name(dzq)} = ${full(c.value(dzq))}`,
  ].filter((p): p is string => typeof p === "string");
  const readout = parts.length > 0 ? parts.join(", ") : t().text("label.diagram.nameNotComputed", { name: aName });
  const lossName = c.state.exercise.solution.notation.loss;
  const dzLabel = `∂${lossName.kind === "symbol" ? lossName.base : "L"}/∂z`;
  return itemGroup(
    c,
    { kind: "neuron", layer, j },
    current ? "current" : "",
    t().text("label.diagram.neuron", {
      name: aName,
      activation: activationLabel(t(), problem.network.layers[layer]!.activation),
      layer: layer + 1,
      values: `${computed ? `z = ${c.short(c.value(zq))}, a = ${c.short(c.value(aq))}` : t().text("label.diagram.notComputed")}${delta ? `, ∂L/∂z = ${c.short(c.value(dzq))}` : ""}`,
    }),
    readout,
    card(box, current),
    text(box.x + 10, box.y + 19, aName, { class: "title" }),
    text(box.x + box.w - 10, box.y + 19, activation.symbol.text, { class: "fn", "text-anchor": "end" }),
    ...row(box, box.y + 38, "z", computed ? c.short(c.value(zq)) : DASH, computed ? c.path(zq) : undefined),
    ...row(box, box.y + 55, "a", computed ? c.short(c.value(aq)) : DASH, computed ? c.path(aq) : undefined),
    ...row(box, box.y + 72, dzLabel, delta ? c.short(c.value(dzq)) : DASH, delta ? c.path(dzq) : undefined),
  );
}

/** A small given-value card: an input or a target. */
function given(c: Context, item: Selection & { kind: "input" | "target" }, box: Box): SVGGElement {
  const q: Quantity = item.kind === "input" ? { kind: "x", sample: c.state.sample, i: item.i } : { kind: "t", sample: c.state.sample, j: item.j };
  const name = c.name(q);
  return itemGroup(
    c,
    item,
    "given",
    t().text(item.kind === "input" ? "label.diagram.input" : "label.diagram.target", { name, value: c.short(c.value(q)) }),
    `${name} = ${full(c.value(q))}`,
    card(box, false),
    text(box.x + 10, box.y + 20, name, { class: "title" }),
    text(box.x + box.w - 10, box.y + 40, c.short(c.value(q)), { class: "value", "text-anchor": "end", "data-path": c.path(q) }),
  );
}

/** Stroke width for a weight: 1 to 7 units by its size relative to the largest weight drawn. */
function thickness(weight: number, largest: number): number {
  return 1 + 6 * (largest > 0 ? Math.abs(weight) / largest : 0);
}

function connections(c: Context, layer: number, from: Column, to: Column, largest: number): SVGGElement[] {
  const labelled = from.nodes.size * to.nodes.size <= LABEL_LIMIT;
  const active =
    (c.phase.kind === "forward" || c.phase.kind === "backward") && c.phase.layer === layer ? " active" : c.phase.kind === "update" ? " active" : "";
  const gradient = c.hasBackward && backwardDone(c.phase, layer);
  const updated = c.phase.kind === "update";
  const targets = [...to.nodes.keys()];
  interface Drawn {
    readonly j: number;
    readonly i: number;
    readonly label: LineLabel;
    readonly shown: readonly [string, Quantity, string];
  }
  const lines: Drawn[] = [];
  for (const [j, dst] of to.nodes) {
    // Labels of connections into different neurons prefer different distances along the line.
    const t = targets.length === 1 ? 0.45 : 0.24 + (0.4 * targets.indexOf(j)) / (targets.length - 1);
    for (const [i, src] of from.nodes) {
      // One number per label, the one the phase is about: the weight, its gradient once the backward pass has
      // reached it, its new value in the update. Every one of them is in the readout and the tooltip.
      const shown: [string, Quantity, string] = updated
        ? [`→ ${c.short(c.value({ kind: "w", step: c.step + 1, layer, j, i }))}`, { kind: "w", step: c.step + 1, layer, j, i }, "new"]
        : gradient
          ? [`∂ ${c.short(c.value({ kind: "dw", step: c.step, layer, j, i }))}`, { kind: "dw", step: c.step, layer, j, i }, "grad"]
          : [c.short(c.value({ kind: "w", step: c.step, layer, j, i })), { kind: "w", step: c.step, layer, j, i }, ""];
      const label: LineLabel = {
        x1: src.x + src.w,
        y1: src.y + src.h / 2,
        x2: dst.x,
        y2: dst.y + dst.h / 2,
        width: [...shown[0]].length * 7.6 + 12,
        height: 19,
        t,
      };
      lines.push({ j, i, label, shown });
    }
  }
  // Too many connections, or no room for a label without covering another: that label shows on hover, focus or selection.
  const places = labelled
    ? placeLabels(
        lines.map((d) => d.label),
        [...from.nodes.values(), ...to.nodes.values()].map((b) => ({ ...b, y: b.y - 26, h: b.h + 26 })),
      )
    : lines.map((d) => ({ x: d.label.x1 + (d.label.x2 - d.label.x1) * d.label.t, y: d.label.y1 + (d.label.y2 - d.label.y1) * d.label.t, free: false }));
  const groups = lines.map(({ j, i, label, shown }, k) => {
    const wq: Quantity = { kind: "w", step: c.step, layer, j, i };
    const dwq: Quantity = { kind: "dw", step: c.step, layer, j, i };
    const newq: Quantity = { kind: "w", step: c.step + 1, layer, j, i };
    const w = c.value(wq);
    const { x1, y1, x2, y2, width, height } = label;
    const { x: lx, y: ly, free } = places[k]!;
    const readout = [
      `${c.name(wq)} = ${full(w)}`,
      gradient && `${c.name(dwq)} = ${full(c.value(dwq))}`,
      updated && t().text("label.diagram.afterUpdate", { name: c.name(newq), value: full(c.value(newq)) }),
    ]
      .filter(Boolean)
      .join(", ");
    return itemGroup(
      c,
      { kind: "weight", layer, j, i },
      `${w < 0 ? "neg" : "pos"}${active}${free ? " labelled" : ""}`,
      gradient
        ? t().text("label.diagram.weightGradient", { name: c.name(wq), value: c.short(w), gradient: c.short(c.value(dwq)) })
        : t().text("label.diagram.weight", { name: c.name(wq), value: c.short(w) }),
      readout,
      s("line", { class: "hit", x1, y1, x2, y2 }),
      s("line", { class: "link", x1, y1, x2, y2, "stroke-width": thickness(w, largest).toFixed(2) }),
      s(
        "g",
        { class: "label" },
        s("rect", { x: lx - width / 2, y: ly - height / 2, width, height, rx: 5 }),
        text(lx, ly + 4.5, shown[0], { class: `value ${shown[2]}`, "text-anchor": "middle", "data-path": c.path(shown[1]) }),
      ),
    );
  });
  return groups;
}

/** A bias as a pill: above its neuron's card, or under the heading for a bias shared by the layer. */
function bias(c: Context, layer: number, j: number | undefined, x: number, y: number, anchorRight: boolean): SVGGElement {
  const bq: Quantity = { kind: "b", step: c.step, layer, j };
  const dbq: Quantity = { kind: "db", step: c.step, layer, j };
  const newq: Quantity = { kind: "b", step: c.step + 1, layer, j };
  const gradient = c.hasBackward && backwardDone(c.phase, layer);
  const updated = c.phase.kind === "update";
  const name = c.name(bq);
  const [value, valueQ, valueClass] = updated
    ? [`→ ${c.short(c.value(newq))}`, newq, "value new"]
    : gradient
      ? [`∂ ${c.short(c.value(dbq))}`, dbq, "value grad"]
      : [c.short(c.value(bq)), bq, "value"];
  const width = ([...name].length + [...value].length) * 7.4 + 22;
  const left = anchorRight ? x - width : x;
  const spans = [s("tspan", { class: "name" }, name), s("tspan", { class: valueClass, "data-path": c.path(valueQ), dx: 7 }, value)];
  const readout = [
    `${name} = ${full(c.value(bq))}`,
    gradient && `${c.name(dbq)} = ${full(c.value(dbq))}`,
    updated && t().text("label.diagram.afterUpdate", { name, value: full(c.value(newq)) }),
  ]
    .filter(Boolean)
    .join(", ");
  return itemGroup(
    c,
    { kind: "bias", layer, j },
    j === undefined ? "shared" : "",
    t().text(
      j === undefined
        ? gradient
          ? "label.diagram.sharedBiasGradient"
          : "label.diagram.sharedBias"
        : gradient
          ? "label.diagram.biasGradient"
          : "label.diagram.bias",
      { name, value: c.short(c.value(bq)), gradient: gradient ? c.short(c.value(dbq)) : "" },
    ),
    readout,
    s("rect", { class: "pill", x: left, y: y - 14, width, height: 21, rx: 10.5 }),
    s("text", { x: left + 8, y: y + 1 }, ...spans),
  );
}

function heading(x: number, y: number, content: string): SVGTextElement {
  return text(x, y, content, { class: "heading" });
}

function gapMark(column: Column): SVGElement[] {
  return column.gap
    ? [
        text(column.x + column.width / 2, column.gap.y + 4, t().text("label.diagram.more", { count: column.gap.hidden }), {
          class: "gap",
          "text-anchor": "middle",
        }),
      ]
    : [];
}

/** The phase's band behind the column being computed. */
function band(x: number, width: number, height: number): SVGRectElement {
  return s("rect", { class: "band", x: x - 12, y: 4, width: width + 24, height: height - 8, rx: 14 });
}

export function renderDiagram(svg: SVGSVGElement, state: State): void {
  const { exercise } = state;
  const { problem, solution } = exercise;
  const phase = state.phases[state.cursor]!;
  const layout = layoutDiagram(problem);
  const values = solution.deriver.values;
  const c: Context = {
    state,
    phase,
    step: phase.step,
    hasBackward: phase.step < exercise.trace.steps.length,
    value: (q) => values.of(q),
    path: (q) => formatPath(pathOf(problem, q)),
    name: (q) => nameOf(solution, q),
    short: (value) => shown(value, state.decimals),
  };
  const { network } = problem;
  // The largest weight drawn at this step sets the scale of every line's thickness.
  let largest = 0;
  layout.layers.forEach((column, layer) => {
    const from = layer === 0 ? layout.inputs : layout.layers[layer - 1]!;
    for (const j of column.nodes.keys())
      for (const i of from.nodes.keys()) largest = Math.max(largest, Math.abs(c.value({ kind: "w", step: c.step, layer, j, i })));
  });
  const parts: SVGElement[] = [];
  const last = network.layers.length - 1;

  if (phase.kind === "forward" || phase.kind === "backward") {
    const column = layout.layers[phase.layer]!;
    parts.push(band(column.x, column.width, layout.height));
  } else if (phase.kind === "loss") {
    parts.push(band(layout.targets.x, layout.loss.x + layout.loss.w - layout.targets.x, layout.height));
  }

  parts.push(heading(layout.inputs.x, layout.headingY, t().text("sheet.inputs")));
  for (const [i, box] of layout.inputs.nodes) parts.push(given(c, { kind: "input", i }, box));
  parts.push(...gapMark(layout.inputs));

  network.layers.forEach((layer, k) => {
    const column = layout.layers[k]!;
    const from = k === 0 ? layout.inputs : layout.layers[k - 1]!;
    parts.push(
      heading(
        column.x,
        layout.headingY,
        t().text(k === last ? "page.outputColumn" : "page.layerColumn", { layer: k + 1, activation: activationLabel(t(), layer.activation) }),
      ),
    );
    parts.push(...connections(c, k, from, column, largest));
    for (const [j, box] of column.nodes) {
      parts.push(neuron(c, k, j, box));
      if (layer.bias.mode === "perNeuron") parts.push(bias(c, k, j, box.x + box.w, box.y - 8, true));
    }
    if (layer.bias.mode === "shared") parts.push(bias(c, k, undefined, column.x, layout.sharedBiasY + 14, false));
    parts.push(...gapMark(column));
  });

  parts.push(heading(layout.targets.x, layout.headingY, t().text("sheet.targets")));
  for (const [j, box] of layout.targets.nodes) parts.push(given(c, { kind: "target", j }, box));
  parts.push(...gapMark(layout.targets));
  parts.push(...lossCard(c, layout.loss, layout.headingY));

  svg.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);
  svg.style.setProperty("--diagram-width", `${layout.width}px`);
  svg.replaceChildren(...parts);
}

function lossCard(c: Context, box: Box, headingY: number): SVGElement[] {
  const { problem } = c.state.exercise;
  const q: Quantity = { kind: "loss", step: c.step };
  const done = lossDone(c.phase);
  const name = c.name(q);
  const etaQ: Quantity = { kind: "eta" };
  const eta = problem.training.learningRate;
  const batch = problem.data.inputs.length;
  const lossGroup = itemGroup(
    c,
    { kind: "loss" },
    c.phase.kind === "loss" ? "current" : "",
    t().text("label.diagram.loss", { name, value: done ? c.short(c.value(q)) : t().text("label.diagram.notComputed") }),
    done ? `${name} = ${full(c.value(q))}` : t().text("label.diagram.nameNotComputed", { name }),
    card(box, c.phase.kind === "loss"),
    text(box.x + 10, box.y + 20, name, { class: "title" }),
    text(box.x + box.w - 10, box.y + 20, batch > 1 ? t().text("label.diagram.reduction", { reduction: problem.loss.reduction, batch }) : "", {
      class: "fn",
      "text-anchor": "end",
    }),
    text(box.x + box.w - 10, box.y + 44, done ? c.short(c.value(q)) : DASH, {
      class: `value big${done ? "" : " pending"}`,
      "text-anchor": "end",
      "data-path": done ? c.path(q) : undefined,
    }),
  );
  const parts: SVGElement[] = [heading(box.x, headingY, t().text("solution.lossHeading")), lossGroup];
  if (eta !== undefined) {
    const etaName = c.name(etaQ);
    const label = `${etaName} = ${c.short(eta)}`;
    const width = [...label].length * 7.2 + 18;
    parts.push(
      itemGroup(
        c,
        { kind: "eta" },
        "given",
        t().text("label.diagram.learningRate", { name: etaName, value: c.short(eta) }),
        `${etaName} = ${full(eta)}`,
        s("rect", { class: "pill", x: box.x, y: box.y + box.h + 16, width, height: 22, rx: 11 }),
        text(box.x + 9, box.y + box.h + 31, label, { class: "value", "data-path": "training.learningRate" }),
      ),
    );
  }
  return parts;
}
