import { h } from "../dom.js";
import { t } from "../words.js";
import { DigitsView } from "./digits-view.js";
import { TrainerView } from "./view.js";

/**
 * The Train tab: the 2-D playground (points in the plane, view.ts) or images
 * (digits and Fashion-MNIST, digits-view.ts), chosen by a pair of radio
 * buttons. Each view starts its worker the first time it is shown.
 */
export class TrainTab {
  private readonly plane: TrainerView;
  private readonly planeRoot = h("div", { id: "plane-trainer" });
  private readonly images = new DigitsView();
  private readonly choice = h(
    "fieldset",
    { class: "train-mode", id: "train-mode" },
    h("legend", {}, t().text("train.mode")),
    h("label", {}, h("input", { type: "radio", name: "train-mode", value: "plane", checked: true }), " ", t().text("train.modePlane")),
    h("label", {}, h("input", { type: "radio", name: "train-mode", value: "images" }), " ", t().text("train.modeImages")),
  );

  constructor(private readonly root: HTMLElement) {
    this.plane = new TrainerView(this.planeRoot);
    this.images.element.hidden = true;
    root.append(this.choice, this.planeRoot, this.images.element);
    this.choice.addEventListener("change", () => {
      this.show();
    });
  }

  /** The tab's settings, each control's value by its id (files aside), to carry over a reload of the page in another language. */
  settings(): Record<string, string> {
    const settings: Record<string, string> = { "train-mode": this.mode };
    for (const control of this.root.querySelectorAll<HTMLInputElement | HTMLSelectElement>("input[id], select[id]"))
      if (control.type !== "file") settings[control.id] = control.value;
    return settings;
  }

  /** Sets the controls as `settings()` gave them, before either view has started training. */
  restore(settings: Readonly<Record<string, string>>): void {
    for (const [id, value] of Object.entries(settings)) {
      if (id === "train-mode") {
        for (const radio of this.choice.querySelectorAll<HTMLInputElement>("input")) radio.checked = radio.value === value;
        continue;
      }
      const control = this.root.querySelector(`#${CSS.escape(id)}`);
      if (control instanceof HTMLSelectElement && [...control.options].some((o) => o.value === value)) control.value = value;
      else if (control instanceof HTMLInputElement && control.type !== "file") control.value = value;
    }
  }

  private get mode(): "plane" | "images" {
    return this.choice.querySelector<HTMLInputElement>("input:checked")?.value === "images" ? "images" : "plane";
  }

  /** Shows the chosen view (called when the tab is opened, and on a change of choice). */
  show(): void {
    const images = this.mode === "images";
    this.planeRoot.hidden = images;
    this.images.element.hidden = !images;
    if (images) {
      this.images.show();
    } else {
      this.images.hide();
      this.plane.show();
    }
  }
}
