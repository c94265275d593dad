/**
 * Every size gradstep refuses to go past, in one place, each checked before
 * the work starts and refused as an input error (exit code 2) that names the
 * limit. Each is far above any real exercise or training run; each keeps a
 * hostile or mistyped input within seconds and about a gigabyte of memory.
 * README.md ("Limits") lists them.
 */
const MiB = 1024 * 1024;

export const LIMITS = {
  /** Problem, claims and other text files: an exercise is a few kilobytes. */
  textBytes: 16 * MiB,
  /** Model and weights files: 64 million float32 parameters. */
  modelBytes: 256 * MiB,
  /** Data files (CSV, IDX): Fashion-MNIST's largest IDX file is 47 MB, its CSV export 133 MB. */
  dataBytes: 256 * MiB,
  /** YAML text: its reader builds a tree of several hundred bytes per value (1 MiB of YAML: 5 s, 700 MB). Larger exercises are written as JSON. */
  yamlBytes: 1 * MiB,
  /** Arrays and objects inside one another in a JSON or YAML file: a problem file needs 4. */
  nesting: 64,
  /** YAML aliases expanded in one file: anchors are for sharing a value, not for multiplying it. */
  yamlAliases: 100,

  /** An exercise (a problem file, with --model a saved network): layers. */
  layers: 1000,
  /** An exercise's weights and biases together: a trained MNIST MLP (235,146) fits four times. */
  parameters: 1_000_000,
  /** An exercise's samples: every one is traced at every step. */
  samples: 100_000,
  /** Numbers in an exercise's trace over every step, a step's record counted as 100: about 40 MB of JSON, 10 seconds. */
  traceNumbers: 3_000_000,
  /** Terms of the worked solution over every step (text, Markdown, LaTeX, XLSX; HTML counts each four times): about 5 MB of text, 5 seconds. */
  solutionTerms: 50_000,

  /** `train --hidden`: units of one hidden layer. */
  hiddenUnits: 65_536,
  /** `train --hidden`: hidden layers. */
  hiddenLayers: 64,
  /** A trained network's parameters: 128 MB in float32, four times that with Adam's state and the gradients. */
  trainedParameters: 32_000_000,
  /** A table encoded for training, rows × inputs: 256 MB of float32, as much as the largest data file. */
  tableValues: 64 * MiB,
  /** Classes of a classification (or labels of a multi-label task): more is a quantity or an id, not a class. */
  classes: 1000,
} as const;
