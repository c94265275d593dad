import { stringify } from "yaml";
import { buildSolution, type Form } from "../../src/explain/solution.js";
import { renderCsv } from "../../src/render/csv.js";
import { renderHtml } from "../../src/render/html.js";
import { renderLatex } from "../../src/render/latex.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { renderSolutionText } from "../../src/render/solution-text.js";
import { t } from "./words.js";
import type { MessageKey } from "../../src/i18n/translate.js";
import { h } from "./dom.js";
import { exerciseFile, type Exercise } from "./exercise.js";
import type { Store } from "./store.js";

/**
 * Problems and solutions out: the current problem file (JSON or YAML) and
 * the worked solution in every format of `gradstep solve`, made by the same
 * renderers. The spreadsheet's renderer pulls in exceljs, so it is loaded
 * only when asked for.
 */

interface Output {
  readonly id: string;
  readonly label: MessageKey;
  readonly extension: string;
  readonly type: string;
  readonly render: (exercise: Exercise, options: { decimals: number; form: Form }) => Promise<string | Uint8Array> | string;
}

const PROBLEM: readonly Output[] = [
  {
    id: "problem-json",
    label: "page.download.json",
    extension: "json",
    type: "application/json",
    render: (e) => `${JSON.stringify(exerciseFile(e), null, 2)}\n`,
  },
  {
    id: "problem-yaml",
    label: "page.download.yaml",
    extension: "yaml",
    type: "application/yaml",
    render: (e) => stringify(exerciseFile(e), { flowCollectionPadding: false }),
  },
];

const SOLUTION: readonly Output[] = [
  {
    id: "text",
    label: "page.download.text",
    extension: "txt",
    type: "text/plain",
    render: (e, o) => renderSolutionText(buildSolution(e.problem, e.trace, { form: o.form, t: t() }), { decimals: o.decimals, color: false, width: 100 }),
  },
  {
    id: "markdown",
    label: "page.download.markdown",
    extension: "md",
    type: "text/markdown",
    render: (e, o) => renderMarkdown(buildSolution(e.problem, e.trace, { form: o.form, t: t() }), o),
  },
  {
    id: "latex",
    label: "page.download.latex",
    extension: "tex",
    type: "application/x-tex",
    render: (e, o) => renderLatex(buildSolution(e.problem, e.trace, { form: o.form, t: t() }), o),
  },
  {
    id: "html",
    label: "page.download.html",
    extension: "html",
    type: "text/html",
    render: (e, o) => renderHtml(buildSolution(e.problem, e.trace, { form: o.form, t: t() }), o),
  },
  { id: "csv", label: "page.download.csv", extension: "csv", type: "text/csv", render: (e) => renderCsv(e.problem, e.trace, { t: t() }) },
  { id: "json", label: "page.download.trace", extension: "json", type: "application/json", render: (e) => `${JSON.stringify(e.trace, null, 2)}\n` },
  {
    id: "xlsx",
    label: "page.download.xlsx",
    extension: "xlsx",
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    render: async (e, o) => {
      const { renderXlsx } = await import("../../src/render/xlsx.js");
      return renderXlsx(e.problem, e.trace, { decimals: Math.max(o.decimals, 6), t: t() });
    },
  },
];

/** A file name from the exercise's title. */
export function fileStem(exercise: Exercise): string {
  const stem = (exercise.problem.title ?? "exercise")
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return stem === "" ? "exercise" : stem;
}

function save(name: string, content: string | Uint8Array, type: string): void {
  const blob = new Blob([typeof content === "string" ? content : new Uint8Array(content)], { type });
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
}

/** The Export panel: a button per file, each made when clicked from the exercise as it is then. */
export function mountDownloads(root: HTMLElement, store: Store): void {
  const form = h(
    "select",
    { id: "solution-form", "aria-label": t().text("page.download.formLabel") },
    h("option", { value: "scalar" }, t().text("page.download.scalar")),
    h("option", { value: "matrix" }, t().text("page.download.matrix")),
  );
  const status = h("p", { class: "hint", role: "status" });
  const buttons = (outputs: readonly Output[], suffix: string) =>
    outputs.map((output) => {
      const element = h("button", { type: "button", id: `download-${output.id}`, "data-format": output.id }, t().text(output.label));
      element.addEventListener("click", () => {
        const { exercise, decimals } = store.state;
        const name = `${fileStem(exercise)}${suffix}.${output.extension}`;
        element.disabled = true;
        status.textContent = t().text("page.download.preparing", { name });
        Promise.resolve(output.render(exercise, { decimals, form: form.value === "matrix" ? "matrix" : "scalar" }))
          .then((content) => {
            save(name, content, output.type);
            status.textContent = t().text("page.download.done", { name });
          })
          .catch((error: unknown) => {
            status.textContent = t().text("page.download.failed", { name, error: error instanceof Error ? error.message : String(error) });
          })
          .finally(() => {
            element.disabled = false;
          });
      });
      return element;
    });
  root.append(
    h("h3", {}, t().text("page.download.problem")),
    h("p", { class: "hint" }, t().text("page.download.problemHint")),
    h("div", { class: "row wrap" }, ...buttons(PROBLEM, "")),
    h("h3", {}, t().text("page.download.solution")),
    h("label", { class: "field" }, t().text("page.download.form"), form),
    h("div", { class: "row wrap" }, ...buttons(SOLUTION, "-solution")),
    status,
  );
}
