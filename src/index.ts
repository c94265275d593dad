/** gradstep: feedforward networks trained by backpropagation, exact and explained. */
export * from "./engine/index.js";
export { formatPath, parsePath, lookup, type JsonPath, type PathSegment } from "./json-path.js";
export { InputError, type SourcePosition } from "./problem/input-error.js";
export { parseProblem, type ParseOptions } from "./problem/parse.js";
export type { Problem } from "./problem/problem.js";
export type { ProblemFile } from "./problem/schema.js";
export { exampleNames, readExample, loadExample, type Example } from "./problem/examples.js";
export { solve, type SolveOptions } from "./solve/solve.js";
export { NumericError } from "./solve/numeric-error.js";
export { matchTrace, withinTolerance, type Mismatch } from "./solve/match.js";
export type * from "./solve/trace.js";
