import { announce, button, h } from "./dom.js";
import { openExercise } from "./actions.js";
import { BUILT_IN, builtIn } from "./examples.js";
import { readExercise, readOnnxExercise } from "./exercise.js";
import { linkOf } from "./link.js";
import type { Store } from "./store.js";
import { t } from "./words.js";

/**
 * Problems in: a built-in exercise from the list, a problem file (JSON or
 * YAML) from the file picker or dropped anywhere on the page, and the
 * shareable link. A bad file shows the parser's message (file, line,
 * column, path, what was expected).
 */
export class Files {
  private readonly select: HTMLSelectElement;
  private fromSelect = false;

  constructor(
    bar: HTMLElement,
    private readonly store: Store,
  ) {
    this.select = h(
      "select",
      { id: "example", "aria-label": t().text("page.builtInLabel") },
      h("option", { value: "" }, t().text("page.builtIn")),
      ...BUILT_IN.map((e) => h("option", { value: e.name }, e.title)),
    );
    this.select.addEventListener("change", () => {
      this.openBuiltIn(this.select.value);
    });
    const picker = h("input", {
      type: "file",
      accept: ".json,.yaml,.yml,.onnx,application/json,application/yaml,text/yaml",
      id: "file-input",
      class: "visually-hidden",
      tabindex: -1,
      "aria-hidden": "true",
    });
    picker.addEventListener("change", () => {
      const file = picker.files?.[0];
      if (file) void this.openFile(file);
      picker.value = "";
    });
    const open = button(
      t().text("page.openFile"),
      () => {
        picker.click();
      },
      { title: t().text("page.openFileTitle") },
    );
    open.id = "open-file";
    const share = button(t().text("page.copyLink"), () => void this.copyLink(), { title: t().text("page.copyLinkTitle") });
    share.id = "copy-link";
    bar.append(this.select, open, picker, share);
    this.acceptDrops();
  }

  openBuiltIn(name: string): void {
    const example = builtIn(name);
    if (!example) return;
    this.fromSelect = true;
    openExercise(this.store, () => readExercise(example.document, `${name}.json`));
    this.fromSelect = false;
    this.select.value = name;
  }

  async openFile(file: File): Promise<void> {
    if (/\.onnx$/i.test(file.name)) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      openExercise(this.store, () => readOnnxExercise(bytes, file.name), t().text("label.openedModel", { name: file.name }));
      return;
    }
    const text = await file.text();
    openExercise(this.store, () => readExercise(text, file.name), t().text("label.opened", { name: file.name }));
  }

  /** Called on every new exercise: the list shows a built-in exercise only while it is the one open. */
  exerciseChanged(): void {
    if (!this.fromSelect) this.select.value = "";
  }

  private acceptDrops(): void {
    let depth = 0;
    const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes("Files") ?? false;
    document.addEventListener("dragenter", (event) => {
      if (!hasFiles(event)) return;
      depth++;
      document.body.classList.add("dragging");
    });
    document.addEventListener("dragleave", () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) document.body.classList.remove("dragging");
    });
    document.addEventListener("dragover", (event) => {
      if (hasFiles(event)) event.preventDefault();
    });
    document.addEventListener("drop", (event) => {
      if (!hasFiles(event)) return;
      depth = 0;
      document.body.classList.remove("dragging");
      // Taken by a drop zone of its own (the trainer's IDX files).
      if (event.defaultPrevented) return;
      event.preventDefault();
      const file = event.dataTransfer?.files[0];
      if (file) void this.openFile(file);
    });
  }

  private async copyLink(): Promise<void> {
    const link = linkOf(this.store.state.exercise);
    try {
      await navigator.clipboard.writeText(link);
      this.store.update({ notice: { kind: "info", text: t().text("page.linkCopied") } });
    } catch {
      this.store.update({ notice: { kind: "info", text: t().text("page.copyThisLink", { link }) } });
    }
    announce(t().text("page.linkAnnounced"));
  }
}
