import { h } from "../dom.js";
import { t as words } from "../words.js";
import { drawImage } from "./curves.js";
import type { MisclassifiedImage } from "./digits-protocol.js";

/** The images trainer's results as elements: the confusion matrix, the images it gets wrong, the drawing's probabilities. */

const percent = (v: number): string => `${(v * 100).toFixed(1)}%`;

/**
 * The head and body of the confusion matrix's table (rows the true class,
 * columns the prediction), each cell shaded by its share of its row: blue on
 * the diagonal, orange off it. Without counts, the empty table.
 */
export function confusionRows(names: readonly string[], counts: Int32Array | undefined): HTMLElement[] {
  const n = names.length;
  // Columns by class index, rows by index and name (Fashion-MNIST's names are too long for columns).
  const rowName = (name: string, t: number) => (name === String(t) ? name : `${t} ${name}`);
  const head = h(
    "tr",
    {},
    h("th", { scope: "col", class: "corner" }, words().text("train.images.corner")),
    ...names.map((name, p) => h("th", { scope: "col", title: name }, String(p))),
  );
  const rows = names.map((name, t) => {
    let total = 0;
    for (let p = 0; p < n; p++) total += counts?.[t * n + p] ?? 0;
    return h(
      "tr",
      {},
      h("th", { scope: "row", title: name }, rowName(name, t)),
      ...names.map((predicted, p) => {
        const count = counts?.[t * n + p] ?? 0,
          share = total === 0 ? 0 : count / total;
        const hue = t === p ? "47, 111, 222" : "224, 123, 57",
          strength = 0.12 + 0.88 * Math.sqrt(share);
        // White figures on the darker shades.
        const style = count === 0 ? undefined : `background: rgba(${hue}, ${strength.toFixed(3)})${strength > 0.6 ? "; color: #fff" : ""}`;
        return h(
          "td",
          { "data-count": count, title: words().text("train.images.cell", { truth: name, predicted, count }), style, class: t === p ? "diagonal" : undefined },
          count === 0 ? "" : String(count),
        );
      }),
    );
  });
  return [h("thead", {}, head), h("tbody", {}, ...rows)];
}

/** Each misclassified image, enlarged, with its true and predicted class. */
export function mistakeFigures(names: readonly string[], images: readonly MisclassifiedImage[]): HTMLElement[] {
  return images.map((m) => {
    const canvas = h("canvas", { role: "img", "aria-label": words().text("train.images.mistake", { truth: names[m.label]!, predicted: names[m.predicted]! }) });
    drawImage(canvas, m.pixels);
    return h(
      "figure",
      { class: "mistake", role: "listitem", "data-label": m.label, "data-predicted": m.predicted },
      canvas,
      h("figcaption", {}, h("span", { class: "truth" }, names[m.label]), " → ", h("span", { class: "guess" }, names[m.predicted])),
    );
  });
}

/** One bar per class for probabilities `p` (the largest in bold), or empty bars before anything is drawn. */
export function probabilityItems(names: readonly string[], p: Float32Array | undefined): HTMLElement[] {
  let best = -1;
  if (p) for (let j = 0; j < p.length; j++) if (best < 0 || p[j]! > p[best]!) best = j;
  return names.map((name, j) => {
    const value = p?.[j] ?? 0;
    return h(
      "li",
      {
        class: j === best ? "best" : undefined,
        "data-probability": p ? value : undefined,
        "aria-label": p ? `${name}: ${percent(value)}` : words().text("train.images.drawFirst", { name }),
      },
      h("span", { class: "name" }, name),
      h("span", { class: "bar", "aria-hidden": "true" }, h("span", { style: `width: ${(value * 100).toFixed(1)}%` })),
      h("span", { class: "value" }, p ? percent(value) : "–"),
    );
  });
}
