import { announce, button, h, isTyping } from "./dom.js";
import { describePhase, type Phase } from "./phases.js";
import type { State, Store } from "./store.js";
import type { MessageKey } from "../../src/i18n/translate.js";
import { t } from "./words.js";

/**
 * Stepping through the exercise: forward one layer, backward one layer,
 * update, next step, back, reset and play, as buttons and as keys. Each
 * button is enabled only when its move is the next thing to compute.
 */

const PLAY_INTERVAL_MS = 900;

/** Each kind of phase in a word, for the banner's tag. */
const KIND: Readonly<Record<Phase["kind"], MessageKey>> = {
  start: "page.kind.start",
  forward: "page.kind.forward",
  loss: "page.kind.loss",
  backward: "page.kind.backward",
  update: "page.kind.update",
};

interface Move {
  readonly id: string;
  readonly label: MessageKey;
  readonly keys: string;
  /** Shortcut keys as KeyboardEvent.key values. */
  readonly on: readonly string[];
  readonly title: MessageKey;
  /** The cursor this move goes to, or undefined when it is not possible now. */
  readonly target: (state: State) => number | undefined;
}

function nextIf(state: State, test: (next: Phase, current: Phase) => boolean): number | undefined {
  const next = state.phases[state.cursor + 1];
  return next && test(next, state.phases[state.cursor]!) ? state.cursor + 1 : undefined;
}

const MOVES: readonly Move[] = [
  { id: "reset", label: "page.reset", keys: "R", on: ["r", "Home"], title: "page.resetTitle", target: (s) => (s.cursor > 0 ? 0 : undefined) },
  { id: "back", label: "page.back", keys: "ArrowLeft", on: ["ArrowLeft"], title: "page.backTitle", target: (s) => (s.cursor > 0 ? s.cursor - 1 : undefined) },
  {
    id: "forward",
    label: "page.forward",
    keys: "F",
    on: ["f"],
    title: "page.forwardTitle",
    target: (s) => nextIf(s, (next, current) => next.step === current.step && (next.kind === "forward" || next.kind === "loss")),
  },
  { id: "backward", label: "page.backward", keys: "B", on: ["b"], title: "page.backwardTitle", target: (s) => nextIf(s, (next) => next.kind === "backward") },
  { id: "update", label: "page.update", keys: "U", on: ["u"], title: "page.updateTitle", target: (s) => nextIf(s, (next) => next.kind === "update") },
  {
    id: "next-step",
    label: "page.nextStep",
    keys: "N",
    on: ["n"],
    title: "page.nextStepTitle",
    target: (s) => {
      const step = s.phases[s.cursor]!.step;
      const start = s.phases.findIndex((p, k) => k > s.cursor && p.step > step && p.kind === "start");
      return start < 0 ? undefined : start;
    },
  },
];

export class Stepper {
  private readonly buttons = new Map<string, HTMLButtonElement>();
  private readonly play: HTMLButtonElement;
  private readonly banner: HTMLElement;
  private timer: number | undefined;

  constructor(
    toolbar: HTMLElement,
    banner: HTMLElement,
    private readonly store: Store,
  ) {
    this.banner = banner;
    for (const move of MOVES) {
      const element = button(
        t().text(move.label),
        () => {
          this.go(move);
        },
        { title: t().text(move.title), keys: move.keys },
      );
      element.id = `step-${move.id}`;
      this.buttons.set(move.id, element);
    }
    this.play = button(
      t().text("page.play"),
      () => {
        this.togglePlay();
      },
      { title: t().text("page.playTitle"), keys: "P" },
    );
    this.play.id = "step-play";
    this.play.setAttribute("aria-pressed", "false");
    const group = (label: string, ...ids: string[]) =>
      h("div", { class: "group", role: "group", "aria-label": label }, ...ids.map((id) => this.buttons.get(id)!));
    toolbar.append(
      group(t().text("page.groupStart"), "reset", "back"),
      group(t().text("page.groupCompute"), "forward", "backward", "update"),
      group(t().text("page.groupMove"), "next-step"),
      this.play,
    );
    document.addEventListener("keydown", (event) => {
      this.onKey(event);
    });
  }

  private go(move: Move): void {
    const target = move.target(this.store.state);
    if (target !== undefined) this.store.update({ cursor: target });
  }

  private onKey(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    // The stepper's keys act while the exercise is on screen, not over the trainer.
    if (!this.banner.offsetParent) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (key === "ArrowRight") {
      if (this.store.state.cursor < this.store.state.phases.length - 1) this.store.update({ cursor: this.store.state.cursor + 1 });
      event.preventDefault();
      return;
    }
    if (key === "p") {
      this.togglePlay();
      event.preventDefault();
      return;
    }
    const move = MOVES.find((m) => m.on.includes(key));
    if (!move) return;
    event.preventDefault();
    this.go(move);
  }

  private togglePlay(): void {
    if (this.timer !== undefined) {
      this.stop();
      return;
    }
    const { state } = this.store;
    if (state.cursor >= state.phases.length - 1) this.store.update({ cursor: 0 });
    this.timer = window.setInterval(() => {
      const { cursor, phases } = this.store.state;
      if (cursor >= phases.length - 1) this.stop();
      else this.store.update({ cursor: cursor + 1 });
    }, PLAY_INTERVAL_MS);
    this.render(this.store.state);
  }

  stop(): void {
    if (this.timer !== undefined) window.clearInterval(this.timer);
    this.timer = undefined;
    this.render(this.store.state);
  }

  render(state: State, previous?: State): void {
    for (const move of MOVES) this.buttons.get(move.id)!.disabled = move.target(state) === undefined;
    const playing = this.timer !== undefined;
    this.play.textContent = t().text(playing ? "page.pause" : "page.play");
    this.play.setAttribute("aria-pressed", String(playing));
    const phase = state.phases[state.cursor]!;
    const text = describePhase(state.exercise.problem, phase);
    this.banner.replaceChildren(h("span", { class: `phase-kind ${phase.kind}` }, t().text(KIND[phase.kind])), " ", text);
    this.banner.dataset.phase = phase.kind;
    if (previous && (previous.cursor !== state.cursor || previous.exercise !== state.exercise)) announce(text);
  }
}
