import "./styles.css";
import { openExercise } from "./actions.js";
import { Builder } from "./builder.js";
import { CheckerPanel } from "./checker.js";
import { renderDiagram } from "./diagram.js";
import { byId, h } from "./dom.js";
import { mountDownloads } from "./downloads.js";
import { InlineEditor } from "./editor.js";
import { builtIn, FIRST_EXAMPLE } from "./examples.js";
import { readExercise, type Exercise } from "./exercise.js";
import { Files } from "./files.js";
import { Inspector } from "./inspector.js";
import { attachDiagram, redrawKeepingFocus } from "./interaction.js";
import { onLinkChange, readLink, writeLink } from "./link.js";
import { Stepper } from "./stepper.js";
import { Store, type State } from "./store.js";
import { setUpTabs } from "./tabs.js";
import { TrainTab } from "./trainer/train-tab.js";
import { beforeLanguageSwitch, languageSwitch, startLang } from "./lang.js";

/** The page: one store, and views over it that call the engine in src/. */

// The language first: every view writes its words in it.
const t = await startLang();
document.querySelector("header.top")!.append(languageSwitch());

function firstExercise(): { exercise: Exercise; problem?: string } {
  const fallback = () => readExercise(builtIn(FIRST_EXAMPLE)!.document, `${FIRST_EXAMPLE}.json`);
  try {
    const document = readLink();
    if (document !== undefined) return { exercise: readExercise(document, "the link") };
  } catch (error) {
    return { exercise: fallback(), problem: error instanceof Error ? error.message : String(error) };
  }
  return { exercise: fallback() };
}

const first = firstExercise();
const store = new Store(first.exercise);
if (first.problem) store.update({ notice: { kind: "error", text: first.problem } });

const svg = document.getElementById("diagram") as unknown as SVGSVGElement;
const frame = byId("diagram-frame", HTMLDivElement);
const readout = byId("readout", HTMLParagraphElement);
const notice = byId("notice", HTMLDivElement);
const samples = byId("samples", HTMLDivElement);
const editor = new InlineEditor(frame, store);
const stepper = new Stepper(byId("stepper", HTMLDivElement), byId("phase", HTMLParagraphElement), store);
const files = new Files(byId("files", HTMLDivElement), store);
const inspector = new Inspector(byId("inspector", HTMLDivElement), store);
const checker = new CheckerPanel(byId("checker", HTMLDivElement));
const builder = new Builder(byId("builder", HTMLDivElement), store);
mountDownloads(byId("downloads", HTMLDivElement), store);
const trainer = new TrainTab(byId("train-view", HTMLElement));
attachDiagram(svg, readout, store, editor);

const showSide = setUpTabs(byId("side-tabs", HTMLDivElement));
const showView = setUpTabs(byId("view-tabs", HTMLDivElement), (panel) => {
  if (panel === "train-view") trainer.show();
  else stepper.stop();
});

// A switch of language loads the page again: the exercise comes back from the URL, the Train tab's settings (and whether it was open) from here.
const KEPT_TRAINING = "gradstep.train-tab";
beforeLanguageSwitch(() => {
  try {
    sessionStorage.setItem(KEPT_TRAINING, JSON.stringify({ open: !byId("train-view", HTMLElement).hidden, settings: trainer.settings() }));
  } catch {
    // Without session storage the Train tab starts afresh.
  }
});
try {
  const kept = sessionStorage.getItem(KEPT_TRAINING);
  sessionStorage.removeItem(KEPT_TRAINING);
  if (kept) {
    const { open, settings } = JSON.parse(kept) as { open: boolean; settings: Record<string, string> };
    trainer.restore(settings);
    if (open) showView("train-view");
  }
} catch {
  // Nothing kept, or storage refused: the page starts as usual.
}

function renderSamples(state: State): void {
  const batch = state.exercise.problem.data.inputs.length;
  samples.hidden = batch === 1;
  if (batch === 1) return;
  samples.replaceChildren(
    h("span", { id: "samples-label" }, t.text("page.sampleShown")),
    ...Array.from({ length: batch }, (_, s) => {
      const b = h("button", { type: "button", "aria-pressed": String(s === state.sample), "data-sample": s }, String(s + 1));
      b.addEventListener("click", () => {
        store.update({ sample: s });
      });
      return b;
    }),
  );
}

function renderNotice(state: State): void {
  notice.hidden = state.notice === undefined;
  notice.className = `notice ${state.notice?.kind ?? ""}`;
  notice.setAttribute("role", state.notice?.kind === "error" ? "alert" : "status");
  const close = h("button", { type: "button", class: "close", "aria-label": t.text("label.dismiss") }, "×");
  close.addEventListener("click", () => {
    store.update({ notice: undefined });
  });
  notice.replaceChildren(h("span", { id: "notice-text" }, state.notice?.text ?? ""), close);
}

function render(state: State, previous?: State): void {
  const exerciseChanged = previous?.exercise !== state.exercise;
  if (exerciseChanged) {
    writeLink(state.exercise);
    files.exerciseChanged();
    document.title = `${state.exercise.problem.title ?? t.text("page.tabExercise")} · gradstep`;
    byId("exercise-title", HTMLHeadingElement).textContent = state.exercise.problem.title ?? t.text("page.yourNetwork");
  }
  redrawKeepingFocus(svg, readout, () => {
    renderDiagram(svg, state);
  });
  stepper.render(state, previous);
  inspector.render(state);
  checker.render(state);
  builder.render(state);
  renderSamples(state);
  renderNotice(state);
  // A new selection shows its derivation, unless the user is checking values in the table.
  if (previous && previous.selection !== state.selection && state.selection && byId("check-panel", HTMLElement).hidden) showSide("derivation-panel");
}

store.subscribe(render);
render(store.state);

onLinkChange(() => {
  try {
    const document = readLink();
    if (document !== undefined) openExercise(store, () => readExercise(document, "the link"));
  } catch (error) {
    store.update({ notice: { kind: "error", text: error instanceof Error ? error.message : String(error) } });
  }
});

document.body.dataset.ready = "true";
