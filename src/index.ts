/** gradstep: feedforward networks trained by backpropagation, exact and explained. */
export * from "./engine/index.js";
export { formatPath, parsePath, lookup, type JsonPath, type PathSegment } from "./json-path.js";
export { InputError, type SourcePosition } from "./input-error.js";
export { loadTranslator, english, type Translator } from "./i18n/translate.js";
export { LANGS, preferredLang, type Lang } from "./i18n/lang.js";
export { parseProblem, type ParseOptions } from "./problem/parse.js";
export { provideYaml } from "./problem/yaml-module.js";
export type { Problem } from "./problem/problem.js";
export type { ProblemFile } from "./problem/schema.js";
export { exampleNames, readExample, loadExample, type Example } from "./problem/examples.js";
export { solve, type SolveOptions } from "./solve/solve.js";
export { NumericError } from "./solve/numeric-error.js";
export { matchTrace, withinTolerance, type Mismatch } from "./solve/match.js";
export type * from "./solve/trace.js";
export { buildSolution, type Solution, type Block, type Form } from "./explain/solution.js";
export { Deriver, type Derivation } from "./explain/derive.js";
export type { Quantity } from "./explain/quantity.js";
export type { Expr } from "./explain/expr.js";
export {
  ACTIVATION_RULES,
  ELEMENTWISE_NAMES,
  HIDDEN_ACTIVATIONS,
  type ActivationRule,
  type ElementwiseRule,
  type HiddenActivation,
} from "./rules/activations.js";
export { LOSS_RULES, type LossRule } from "./rules/losses.js";
export { renderSolutionText } from "./render/solution-text.js";
export { renderMarkdown } from "./render/markdown.js";
export { renderLatex } from "./render/latex.js";
export { renderCsv } from "./render/csv.js";
// KaTeX and exceljs load on the first call, not with the library.
export { renderHtml, renderXlsx } from "./render/on-demand.js";
export type { HtmlOptions } from "./render/html.js";
export type { XlsxOptions } from "./render/xlsx.js";

export { checkClaims, type CheckResult, type CheckedClaim } from "./check/check.js";
export { readClaims, type Claim } from "./check/claims.js";
export type { Slip } from "./check/slip.js";
export { train, startTraining, evaluate, DivergenceError, type TrainSettings, type EpochMetrics, type TrainingState, type Scores } from "./train/trainer.js";
export { trainTable, predictRows, prepareTable, tableModel, type TrainTableOptions, type TableModel, type Prediction } from "./train/table/train-table.js";
export type { TableOptions } from "./train/table/fit.js";
export { encodeTable, type EncodeReport, type EncodeOptions } from "./train/table/encode.js";
export { csvTable, objectTable, type TableSource } from "./train/table/source.js";
export { tableAffines, encodedNames, type TableSpec, type Task } from "./io/table-spec.js";
export { fastBackend, kernelBackend } from "./kernels/engine-backend.js";
export { initialNetwork, type Architecture, type Initializer } from "./train/init.js";
export { loadFashionMnist, FASHION_MNIST_DIR, subset, shuffledOrder, type Dataset } from "./train/data/index.js";
