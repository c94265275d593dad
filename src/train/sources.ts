import { existsSync } from "node:fs";
import { join } from "node:path";
import { Rng } from "../engine/rng.js";
import { InputError } from "../input-error.js";
import { say } from "../i18n/translate.js";
import { loadCsv, loadDigits, loadFashionMnist, loadIdxPair, splitOff, type Dataset } from "./data/index.js";

/** A training set and a held-out set. */
export interface Split {
  readonly train: Dataset;
  readonly test: Dataset;
  /** Says where the data came from, for model files and checkpoints. */
  readonly source: string;
}

function idxFile(dir: string, stem: string): string {
  const plain = join(dir, stem),
    gzipped = `${plain}.gz`;
  if (existsSync(gzipped)) return gzipped;
  if (existsSync(plain)) return plain;
  throw InputError.said(say("modelError.data.idxMissing", { stem }), { file: dir });
}

/** Whether `source` names a table (CSV, TSV or delimited text) rather than a data set or a folder of IDX files. */
export function isTableFile(source: string): boolean {
  return /\.(?:csv|tsv|txt)$/i.test(source);
}

/**
 * The data named on the command line: `digits` (10,000 MNIST digits shipped
 * with gradstep, no download), `fashion-mnist` (Debian's
 * dataset-fashion-mnist), a folder of IDX files in the MNIST layout, or a
 * CSV file with a label column (split off for testing by `testFraction`).
 */
export function loadSplit(source: string, options: { label?: string | undefined; testFraction?: number; seed?: number } = {}): Split {
  if (source === "digits") return { ...loadDigits(), source };
  if (source === "fashion-mnist") return { ...loadFashionMnist(), source };
  if (source.toLowerCase().endsWith(".csv")) {
    if (!options.label) throw InputError.said(say("modelError.data.csvLabel"), { file: source, option: "label" });
    const all = loadCsv(source, { label: options.label });
    const { rest, held } = splitOff(all, options.testFraction ?? 0.2, new Rng(options.seed ?? 1));
    return { train: rest, test: held, source };
  }
  if (existsSync(source)) {
    const name = source.replace(/\/$/, "").split("/").at(-1)!;
    const train = loadIdxPair(idxFile(source, "train-images-idx3-ubyte"), idxFile(source, "train-labels-idx1-ubyte"), `${name} (train)`);
    const test = loadIdxPair(idxFile(source, "t10k-images-idx3-ubyte"), idxFile(source, "t10k-labels-idx1-ubyte"), `${name} (test)`);
    // Each file knows only the labels it holds; the classes are those of both.
    const classes = Math.max(train.classes, test.classes);
    return { train: { ...train, classes }, test: { ...test, classes }, source };
  }
  throw InputError.said(say("modelError.data.source", { found: JSON.stringify(source) }));
}
