import { buildSolution, type Solution } from "../../src/explain/solution.js";
import { t } from "./words.js";
import { isRecord } from "../../src/json-path.js";
import { parseProblemDocument } from "../../src/problem/parse.js";
import type { Problem } from "../../src/problem/problem.js";
import { problemFile } from "../../src/problem/to-file.js";
import type { ProblemFile } from "../../src/problem/schema.js";
import { isModelDocument, modelFromOnnx, modelFromText, problemOfModel } from "../../src/io/model-problem.js";
import { solve } from "../../src/solve/solve.js";
import type { Trace } from "../../src/solve/trace.js";
import * as yamlLibrary from "yaml";
import { provideYaml } from "../../src/problem/yaml-module.js";

// The engine loads YAML through require where it has one; a page has none.
provideYaml(yamlLibrary);

/** One exercise as the page holds it: the validated problem, its hand values, and the engine's solution. */
export interface Exercise {
  readonly problem: Problem;
  /** The file's `claims` (hand-worked values), as written; the checker reads them. */
  readonly claims: readonly unknown[];
  readonly trace: Trace;
  readonly solution: Solution;
}

/** Solves a validated problem with the same engine as the CLI; throws NumericError when a value becomes NaN or ∞. */
export function solveExercise(problem: Problem, claims: readonly unknown[] = []): Exercise {
  const trace = solve(problem);
  return { problem, claims, trace, solution: buildSolution(problem, trace, { t: t() }) };
}

/** Reads a problem file or a model file (text or parsed object); throws InputError with the file, line and path of the first thing wrong. */
export function readExercise(source: string | object, file?: string): Exercise {
  // A model file (gradstep JSON with inline weights) opens as an exercise over its network.
  if (typeof source === "string" && /"format"\s*:\s*"gradstep-model"/.test(source)) {
    return solveExercise(problemOfModel(modelFromText(source, file), file));
  }
  if (typeof source !== "string" && isModelDocument(source)) {
    return solveExercise(problemOfModel(modelFromText(JSON.stringify(source), file), file));
  }
  const { problem, document } = parseProblemDocument(source, file === undefined ? {} : { file });
  const claims = isRecord(document) && Array.isArray(document.claims) ? (document.claims as unknown[]) : [];
  return solveExercise(problem, claims);
}

/** What a claim keeps in a link or a download: where, what was written, and whose it is. */
const CLAIM_KEYS = ["path", "name", "step", "printed", "value", "seed"];

/** The exercise as a problem file: the problem and its hand values, without answer keys or provenance notes. */
export function exerciseFile(exercise: Exercise): ProblemFile & { claims?: unknown[] } {
  const claims = exercise.claims.map((claim) =>
    isRecord(claim) ? Object.fromEntries(Object.entries(claim).filter(([key]) => CLAIM_KEYS.includes(key) && !(key === "value" && "printed" in claim))) : claim,
  );
  return { ...problemFile(exercise.problem), ...(claims.length > 0 ? { claims } : {}) };
}

/** An ONNX model (bytes) as an exercise over its network. */
export function readOnnxExercise(bytes: Uint8Array, file: string): Exercise {
  return solveExercise(problemOfModel(modelFromOnnx(bytes, file), file));
}
