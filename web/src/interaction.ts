import { announce } from "./dom.js";
import type { InlineEditor } from "./editor.js";
import { givenOf } from "./editor.js";
import { t } from "./words.js";
import type { Selection, Store } from "./store.js";

/**
 * The diagram's pointer and keyboard handling: hovering or focusing a part
 * shows its values in full precision (and tells screen readers); clicking
 * it, or Enter, selects it for the derivation panel and, for a value the
 * problem gives, opens the editor on it.
 */

function selectionOf(element: Element): Selection | undefined {
  const item = element.closest<SVGGElement>("g.item");
  if (!item) return undefined;
  const { kind, layer, j, i } = item.dataset;
  const n = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  switch (kind) {
    case "neuron":
      return { kind, layer: n(layer)!, j: n(j)! };
    case "weight":
      return { kind, layer: n(layer)!, j: n(j)!, i: n(i)! };
    case "bias":
      return { kind, layer: n(layer)!, j: n(j) };
    case "input":
      return { kind, i: n(i)! };
    case "target":
      return { kind, j: n(j)! };
    case "loss":
    case "eta":
      return { kind };
    default:
      return undefined;
  }
}

/** The selector of the item showing `selection`, to find it again after the diagram is drawn anew. */
export function itemSelector(selection: Selection): string {
  const data = Object.entries(selection)
    .filter(([key, value]) => key !== "kind" && value !== undefined)
    .map(([key, value]) => `[data-${key}="${String(value)}"]`)
    .join("");
  return `g.item[data-kind="${selection.kind}"]${data}`;
}

export function attachDiagram(svg: SVGSVGElement, readout: HTMLElement, store: Store, editor: InlineEditor): void {
  const show = (target: EventTarget | null) => {
    const item = target instanceof Element ? target.closest<SVGGElement>("g.item") : null;
    if (!item) return;
    readout.textContent = item.dataset.readout ?? "";
  };
  const activate = (item: SVGGElement) => {
    const selection = selectionOf(item);
    if (!selection) return;
    store.update({ selection });
    const given = givenOf(selection, store.state.sample);
    const fresh = svg.querySelector<SVGGElement>(itemSelector(selection));
    if (!given || !fresh) return;
    const anchor = fresh.querySelector(".label text, text.value") ?? fresh;
    editor.open(given, t().text("label.newValue", { name: fresh.getAttribute("aria-label")?.split(/[=;]/)[0]?.trim() ?? "" }), anchor, () =>
      svg.querySelector<SVGGElement>(itemSelector(selection))?.focus(),
    );
  };
  svg.addEventListener("mouseover", (event) => {
    show(event.target);
  });
  svg.addEventListener("focusin", (event) => {
    show(event.target);
    announce(readout.textContent);
  });
  svg.addEventListener("click", (event) => {
    const item = event.target instanceof Element ? event.target.closest<SVGGElement>("g.item") : null;
    if (item) activate(item);
  });
  svg.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    const item = event.target instanceof Element ? event.target.closest<SVGGElement>("g.item") : null;
    if (!item) return;
    event.preventDefault();
    activate(item);
  });
}

/**
 * Draws the diagram anew with `draw`, keeping keyboard focus on the same
 * part (the old elements are replaced) and its full-precision readout current.
 */
export function redrawKeepingFocus(svg: SVGSVGElement, readout: HTMLElement, draw: () => void): void {
  const active = document.activeElement;
  const selection = active instanceof Element && svg.contains(active) ? selectionOf(active) : undefined;
  draw();
  if (!selection) return;
  const item = svg.querySelector<SVGGElement>(itemSelector(selection));
  if (!item) return;
  item.focus({ preventScroll: true });
  readout.textContent = item.dataset.readout ?? "";
}
