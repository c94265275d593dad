import { loadModel } from "../io/model-file.js";
import { InputError } from "../input-error.js";
import { parseProblem } from "../problem/parse.js";
import type { Problem } from "../problem/problem.js";
import { problemFile } from "../problem/to-file.js";

/**
 * The problem with its network replaced by a saved model's (weights, biases,
 * activations, and notation when the model has one), validated again as a
 * whole: the data and loss must suit the model.
 */
export function withModel(problem: Problem, file: string): Problem {
  const model = loadModel(file);
  const written = problemFile({ ...problem, network: model.spec, ...(model.header.notation ? { notation: model.header.notation } : {}) });
  try {
    return parseProblem(written);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // The problem's error, in the reader's language where it is a catalogue message.
    const inner = error;
    throw InputError.said((t) => t.text("command.model.doesNotFit", { error: inner.localized(t) }), { file });
  }
}
