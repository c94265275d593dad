import { announce, button, h, isTyping } from "./dom.js";
import { describePhase, type Phase } from "./phases.js";
import type { State, Store } from "./store.js";

/**
 * Stepping through the exercise: forward one layer, backward one layer,
 * update, next step, back, reset and play, as buttons and as keys. Each
 * button is enabled only when its move is the next thing to compute.
 */

const PLAY_INTERVAL_MS = 900;

interface Move {
  readonly id: string;
  readonly label: string;
  readonly keys: string;
  /** Shortcut keys as KeyboardEvent.key values. */
  readonly on: readonly string[];
  readonly title: string;
  /** The cursor this move goes to, or undefined when it is not possible now. */
  readonly target: (state: State) => number | undefined;
}

function nextIf(state: State, test: (next: Phase, current: Phase) => boolean): number | undefined {
  const next = state.phases[state.cursor + 1];
  return next && test(next, state.phases[state.cursor]!) ? state.cursor + 1 : undefined;
}

const MOVES: readonly Move[] = [
  { id: "reset", label: "⟲ Reset", keys: "R", on: ["r", "Home"], title: "Back to the start of step 1 (R)", target: (s) => (s.cursor > 0 ? 0 : undefined) },
  { id: "back", label: "◂ Back", keys: "ArrowLeft", on: ["ArrowLeft"], title: "One phase back (←)", target: (s) => (s.cursor > 0 ? s.cursor - 1 : undefined) },
  {
    id: "forward",
    label: "Forward ▸",
    keys: "F",
    on: ["f"],
    title: "Forward pass: the next layer, then the loss (F)",
    target: (s) => nextIf(s, (next, current) => next.step === current.step && (next.kind === "forward" || next.kind === "loss")),
  },
  { id: "backward", label: "◂ Backward", keys: "B", on: ["b"], title: "Backward pass: the next layer down (B)", target: (s) => nextIf(s, (next) => next.kind === "backward") },
  { id: "update", label: "Update", keys: "U", on: ["u"], title: "Update every weight and bias: w ← w − η·∂L/∂w (U)", target: (s) => nextIf(s, (next) => next.kind === "update") },
  {
    id: "next-step",
    label: "Next step ⇥",
    keys: "N",
    on: ["n"],
    title: "The start of the next step, with the updated parameters (N)",
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
      const element = button(move.label, () => { this.go(move); }, { title: move.title, keys: move.keys });
      element.id = `step-${move.id}`;
      this.buttons.set(move.id, element);
    }
    this.play = button("▶ Play", () => { this.togglePlay(); }, { title: "Play every phase in turn (P)", keys: "P" });
    this.play.id = "step-play";
    this.play.setAttribute("aria-pressed", "false");
    const group = (label: string, ...ids: string[]) => h("div", { class: "group", role: "group", "aria-label": label }, ...ids.map((id) => this.buttons.get(id)!));
    toolbar.append(group("Start over", "reset", "back"), group("Compute", "forward", "backward", "update"), group("Move on", "next-step"), this.play);
    document.addEventListener("keydown", (event) => { this.onKey(event); });
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
    this.play.textContent = playing ? "❚❚ Pause" : "▶ Play";
    this.play.setAttribute("aria-pressed", String(playing));
    const phase = state.phases[state.cursor]!;
    const text = describePhase(state.exercise.problem, phase);
    this.banner.replaceChildren(h("span", { class: `phase-kind ${phase.kind}` }, phase.kind === "start" ? "start" : phase.kind), " ", text);
    this.banner.dataset.phase = phase.kind;
    if (previous && (previous.cursor !== state.cursor || previous.exercise !== state.exercise)) announce(text);
  }
}
