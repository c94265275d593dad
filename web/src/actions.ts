import { InputError } from "../../src/input-error.js";
import type { Problem } from "../../src/problem/problem.js";
import { NumericError } from "../../src/solve/numeric-error.js";
import { checked } from "./edits.js";
import { t } from "./words.js";
import { solveExercise, type Exercise } from "./exercise.js";
import type { Store } from "./store.js";

/** Runs `work`; an input error or a NaN/∞ becomes the page's notice instead of an exception. Returns whether it succeeded. */
function guarded(store: Store, work: () => void): boolean {
  try {
    work();
    return true;
  } catch (error) {
    if (error instanceof InputError || error instanceof NumericError) {
      store.update({ notice: { kind: "error", text: error.localized(t()) } });
      return false;
    }
    throw error;
  }
}

/**
 * Changes the problem and solves it again with the engine: everything
 * downstream recomputes. A change of shape drops the file's hand values,
 * whose paths may no longer exist; a change of values keeps them.
 */
export function changeProblem(store: Store, change: (problem: Problem) => Problem, shape: boolean): boolean {
  return guarded(store, () => {
    const { exercise } = store.state;
    const problem = checked(change(exercise.problem));
    store.setExercise(solveExercise(problem, shape ? [] : exercise.claims), !shape);
  });
}

/** Opens another exercise (a built-in one, a file, a link), starting the stepper over. */
export function openExercise(store: Store, read: () => Exercise, message?: string): boolean {
  return guarded(store, () => {
    store.setExercise(read(), false);
    if (message) store.update({ notice: { kind: "info", text: message } });
  });
}
