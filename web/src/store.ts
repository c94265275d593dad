import type { Exercise } from "./exercise.js";
import { phasesOf, type Phase } from "./phases.js";

/** What the user has picked in the diagram; indices are 0-based like trace paths. */
export type Selection =
  | { readonly kind: "neuron"; readonly layer: number; readonly j: number }
  | { readonly kind: "weight"; readonly layer: number; readonly j: number; readonly i: number }
  /** `j` is undefined for a shared bias. */
  | { readonly kind: "bias"; readonly layer: number; readonly j: number | undefined }
  | { readonly kind: "input"; readonly i: number }
  | { readonly kind: "target"; readonly j: number }
  | { readonly kind: "loss" }
  | { readonly kind: "eta" };

export interface Notice {
  readonly kind: "error" | "info";
  readonly text: string;
}

export interface State {
  readonly exercise: Exercise;
  readonly phases: readonly Phase[];
  /** Index into `phases`. */
  readonly cursor: number;
  /** The sample of the batch the diagram shows. */
  readonly sample: number;
  readonly selection: Selection | undefined;
  readonly decimals: number;
  readonly notice: Notice | undefined;
}

type Listener = (state: State, previous: State) => void;

function stillValid(selection: Selection | undefined, exercise: Exercise): Selection | undefined {
  if (!selection) return undefined;
  const { network, data } = exercise.problem;
  const layer = "layer" in selection ? network.layers[selection.layer] : undefined;
  const inputsOf = (k: number) => (k === 0 ? network.inputs : network.layers[k - 1]!.units);
  switch (selection.kind) {
    case "neuron":
      return layer && selection.j < layer.units ? selection : undefined;
    case "weight":
      return layer && selection.j < layer.units && selection.i < inputsOf(selection.layer) ? selection : undefined;
    case "bias": {
      if (!layer || layer.bias.mode === "none") return undefined;
      if (layer.bias.mode === "shared") return { ...selection, j: undefined };
      return { ...selection, j: Math.min(selection.j ?? 0, layer.units - 1) };
    }
    case "input":
      return selection.i < network.inputs ? selection : undefined;
    case "target":
      return selection.j < (data.targets[0]?.length ?? 0) ? selection : undefined;
    case "loss":
    case "eta":
      return selection;
  }
}

/** The page's one state, changed only through `update` and the methods below; views subscribe. */
export class Store {
  private current: State;
  private readonly listeners: Listener[] = [];

  constructor(exercise: Exercise) {
    this.current = { exercise, phases: phasesOf(exercise.problem), cursor: 0, sample: 0, selection: undefined, decimals: 4, notice: undefined };
  }

  get state(): State {
    return this.current;
  }

  subscribe(listener: Listener): void {
    this.listeners.push(listener);
  }

  update(patch: Partial<State>): void {
    const previous = this.current;
    this.current = { ...previous, ...patch };
    for (const listener of this.listeners) listener(this.current, previous);
  }

  /**
   * Shows another exercise. An edit of the same network keeps the stepper
   * where it was, the sample and the selection; a new exercise starts over.
   */
  setExercise(exercise: Exercise, keep: boolean): void {
    const phases = phasesOf(exercise.problem);
    const { cursor, sample, selection } = this.current;
    const samePhases = keep && phases.length === this.current.phases.length;
    this.update({
      exercise,
      phases,
      cursor: samePhases ? cursor : keep ? Math.min(cursor, phases.length - 1) : 0,
      sample: keep ? Math.min(sample, exercise.problem.data.inputs.length - 1) : 0,
      selection: keep ? stillValid(selection, exercise) : undefined,
      notice: undefined,
    });
  }

  get phase(): Phase {
    return this.current.phases[this.current.cursor]!;
  }
}
