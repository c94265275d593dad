import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, test } from "vitest";
import { loadModel } from "../../src/io/model-file.js";
import { encodeTable } from "../../src/train/table/encode.js";
import { loadTable } from "../../src/train/table/source.js";
import { prepareTable } from "../../src/train/table/train-table.js";
import { gradstep } from "../cli.js";
import { houses, leastSquares, penguins, toCsv } from "./fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "gradstep-table-"));
const HOUSES = join(dir, "houses.csv"),
  PENGUINS = join(dir, "penguins.csv");
writeFileSync(HOUSES, toCsv(houses(1500), { bom: true, crlf: true }));
writeFileSync(PENGUINS, toCsv(penguins(600), { delimiter: ";", decimalComma: true }));

const lines = (text: string) =>
  text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** The ONNX export run in onnxruntime on the encoded rows of `file` (before standardization: the export does that). */
async function runOnnx(onnx: string, model: string, file: string): Promise<{ data: Float32Array; width: number }> {
  const spec = loadModel(model).header.table!;
  const rows = encodeTable(loadTable(file), spec, { ignoreLabel: true, standardize: false }).train;
  const session = await ort.InferenceSession.create(readFileSync(onnx), { logSeverityLevel: 3 });
  const out = await session.run({ input: new ort.Tensor("float32", rows.inputs, [rows.count, rows.features]) });
  const output = out[session.outputNames[0]!]!;
  return { data: output.data as Float32Array, width: output.dims[1]! };
}

function expectNoStackTrace(run: { status: number | null; stderr: string }): void {
  expect(run.stderr).not.toMatch(/\n\s+at |RangeError|TypeError/);
  expect(run.stderr).toMatch(/^gradstep: /);
}

describe("a regression on a houses table (id, free text, city, a date, gaps)", () => {
  const out = join(dir, "houses.json");
  const train = gradstep(["train", "--data", HOUSES, "--label", "price (€)", "--ignore", "listing", "--epochs", "100", "--json", "--out", out]);

  test("one command trains it; the held-out RMSE is no worse than least squares on the same columns", () => {
    expect(train.stderr).toBe("");
    expect(train.status).toBe(0);
    const records = lines(train.stdout);
    const last = records.at(-1) as {
      done: boolean;
      test: { rmse: number; mae: number; r2: number; loss: number };
      table: { task: string; ignored: { column: string }[]; imputed: Record<string, number> };
      wrote: Record<string, string>;
    };
    expect(records).toHaveLength(101);
    expect(records[0]).toHaveProperty("testRmse");
    expect(last.done).toBe(true);
    expect(last.table.task).toBe("regression");
    expect(last.table.ignored.map((i) => i.column)).toEqual(["listing", "id"]);
    expect(Object.keys(last.table.imputed).sort()).toEqual(["Area (m²)", "garden"]);
    expect(last.wrote.model).toBe(out);

    const { train: rows, test: held, spec } = prepareTable(loadTable(HOUSES), { label: "price (€)", ignore: ["listing"] });
    const fit = leastSquares(rows.inputs, Array.from(rows.targets!), rows.features);
    let squared = 0;
    for (let i = 0; i < held.count; i++)
      squared += ((fit(held.inputs.subarray(i * held.features, (i + 1) * held.features)) - held.targets![i]!) * spec.label.std![0]!) ** 2;
    const linear = Math.sqrt(squared / held.count);
    expect(last.test.rmse).toBeLessThanOrEqual(linear);
    expect(last.test.r2).toBeGreaterThan(0.95);
    expect(last.test.mae).toBeLessThan(last.test.rmse);
    expect(readFileSync(out.replace(".json", ".svg"), "utf8")).toMatch(/test R²/);
  });

  test("eval and predict apply the stored preprocessing; the ONNX export predicts what gradstep predicts", async () => {
    const evaluated = JSON.parse(gradstep(["eval", out, "--data", HOUSES, "--json"]).stdout) as { samples: number; rmse: number; r2: number; task: string };
    expect(evaluated).toMatchObject({ samples: 1500, task: "regression" });
    expect(evaluated.r2).toBeGreaterThan(0.95);
    const predicted = gradstep(["predict", out, "--data", HOUSES, "--limit", "2000", "--json"]);
    expect(predicted.stderr).toMatch(/note: missing cells filled in: .*Area \(m²\) \d+ \(mean\)/);
    const values = lines(predicted.stdout).map((p) => (p.values as Record<string, number>)["price (€)"]!);
    expect(values).toHaveLength(1500);
    expect(gradstep(["predict", out, "--data", HOUSES, "--limit", "1"]).stdout).toMatch(/^row 1: price \(€\) [\d,]+\n?$/);

    const onnx = join(dir, "houses.onnx");
    const exported = gradstep(["export", out, "--onnx", onnx]);
    expect(exported.status).toBe(0);
    expect(exported.stderr).toMatch(
      /standardizes its inputs in a leading Gemm, adds the regression's linear fit \(a Gemm beside the network\) and returns the targets' units in a trailing Gemm/,
    );
    const runtime = await runOnnx(onnx, out, HOUSES);
    expect(runtime.width).toBe(1);
    const worst = values.reduce((m, v, i) => Math.max(m, Math.abs(runtime.data[i]! - v) / Math.abs(v)), 0);
    expect(worst).toBeLessThan(1e-5);
  });
});

describe("a classification of penguins (`;` and decimal commas, units in the header, gaps, an id and comments)", () => {
  const out = join(dir, "penguins.json");
  const train = gradstep(["train", "--data", PENGUINS, "--label", "Species", "--ignore", "Comments", "--epochs", "50", "--json", "--out", out]);

  test("one command trains it to at least 97% held-out accuracy, from a sane first loss", () => {
    expect(train.stderr).toBe("");
    const records = lines(train.stdout);
    const last = records.at(-1) as { test: { accuracy: number; loss: number } };
    // Standardized inputs: the first epoch's loss starts near ln 3 ≈ 1.1, not at 10.
    expect(records[0]!.trainLoss).toBeLessThan(1.2);
    expect(last.test.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(Object.keys(last.test).sort()).toEqual(["accuracy", "loss"]);
    expect(loadModel(out).header.classes).toEqual(["Adelie", "Chinstrap", "Gentoo"]);
  });

  test("eval reports per-class precision and recall and the confusion matrix; ONNX gives gradstep's probabilities", async () => {
    const evaluated = JSON.parse(gradstep(["eval", out, "--data", PENGUINS, "--json"]).stdout) as {
      accuracy: number;
      classes: { class: string; precision: number; recall: number; support: number }[];
      confusion: number[][];
    };
    expect(evaluated.classes.map((c) => c.class)).toEqual(["Adelie", "Chinstrap", "Gentoo"]);
    expect(evaluated.confusion.flat().reduce((s, n) => s + n, 0)).toBe(600);
    expect(evaluated.classes.every((c) => c.precision > 0.95 && c.recall > 0.95 && c.support === 200)).toBe(true);
    const text = gradstep(["eval", out, "--data", PENGUINS]).stdout;
    expect(text).toMatch(/class {6}precision {2}recall {2}support/);
    expect(text).toMatch(/confusion matrix \(rows: label, columns: predicted; Adelie, Chinstrap, Gentoo\)/);

    const predicted = lines(gradstep(["predict", out, "--data", PENGUINS, "--limit", "600", "--json"]).stdout);
    const onnx = join(dir, "penguins.onnx");
    expect(gradstep(["export", out, "--onnx", onnx]).status).toBe(0);
    const runtime = await runOnnx(onnx, out, PENGUINS);
    expect(runtime.width).toBe(3);
    let worst = 0;
    predicted.forEach((p, i) => (p.probabilities as number[]).forEach((q, j) => (worst = Math.max(worst, Math.abs(runtime.data[i * 3 + j]! - q)))));
    expect(worst).toBeLessThan(1e-5);
  });

  test("a category never seen in training is encoded as none and reported", () => {
    const other = join(dir, "penguins-new.csv");
    writeFileSync(other, readFileSync(PENGUINS, "utf8").replace(";Dream;", ";Anvers;"));
    const run = gradstep(["predict", out, "--data", other, "--limit", "1"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/column "Island": 1 cell of categories not seen in training, encoded as none: "Anvers" ×1/);
  });
});

describe("other tasks and strategies from the command line", () => {
  test("a tab-separated multi-label table: sigmoid outputs, labels predicted by name", () => {
    const rows = Array.from(
      { length: 300 },
      (_, i) => `${i % 20}\t${Math.floor(i / 20)}\t${[i % 20 >= 10 ? "wide" : "", Math.floor(i / 20) >= 8 ? "tall" : ""].filter(Boolean).join("|") || "NA"}`,
    );
    const file = join(dir, "shapes.tsv"),
      out = join(dir, "shapes.json");
    writeFileSync(file, `width\theight\ttags\n${rows.join("\n")}\n`);
    const run = gradstep(["train", "--data", file, "--label", "tags", "--task", "multilabel", "--epochs", "60", "--json", "--out", out]);
    expect(run.stderr).toBe("");
    const last = lines(run.stdout).at(-1) as { test: { accuracy: number } };
    expect(last.test.accuracy).toBeGreaterThan(0.9);
    const predicted = lines(gradstep(["predict", out, "--data", file, "--limit", "300", "--json"]).stdout);
    expect(predicted[299]).toMatchObject({ row: 300, labels: ["tall", "wide"] });
  });

  test("--missing drop leaves out the rows with gaps and says how many; --loss huber trains", () => {
    const run = gradstep([
      "train",
      "--data",
      HOUSES,
      "--label",
      "price (€)",
      "--ignore",
      "listing",
      "--missing",
      "drop",
      "--loss",
      "huber",
      "--epochs",
      "5",
      "--out",
      join(dir, "dropped.json"),
    ]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/left out \d+ rows with a missing feature \(--missing drop\)/);
    expect(run.stderr).toMatch(/regression of price \(€\) \(huber on standardized targets/);
  });
});

describe("any column thrown at it: an answer or exit 2, never a stack trace", () => {
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  test("a price as the label of a classification is refused before anything is allocated", () => {
    const run = gradstep(["train", "--data", HOUSES, "--label", "price (€)", "--task", "classification", "--out", join(dir, "x.json")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /column "price \(€\)": expected at most 1000 classes for a classification, found more distinct values; it holds numbers: is it a regression \(task regression\)\?/,
    );
    expectNoStackTrace(run);
  });

  test("numbers only, the label a price: a regression, without being told", () => {
    const file = write(
      "plain.csv",
      "area,rooms,price\n" + Array.from({ length: 200 }, (_, i) => `${50 + i},${1 + (i % 5)},${848098 + i * 1234 + (i % 7) * 5000}`).join("\n"),
    );
    const run = gradstep(["train", "--data", file, "--label", "price", "--epochs", "3", "--out", join(dir, "plain.json")]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/regression of price/);
    expect(run.stderr).toMatch(/network 2 → 64 → 32 → 1 \(relu, identity\)/);
  });

  const cases: Record<string, string> = {
    "header only": "a,b,y\n",
    "an empty label column": "a,y\n1,\n2,\n",
    "one class": "a,y\n1,u\n2,u\n3,u\n",
    "no feature left": "id,y\n1,a\n2,b\n",
    "a stray quote": 'a,y\n1,"u\n',
    "a short row": "a,b,y\n1,2,u\n3,v\n",
    "every cell missing": "a,b,y\nNA,,u\n?,null,v\n,,u\n,,v\n",
    "mixed numbers and text": "a,y\n1,u\nx,v\n3,u\n4,v\n5,u\n",
    "only dates and booleans": "when,ok,y\n2020-01-01,true,1.5\n2020-02-30,false,2.5\n2021-01-01,true,3.5\n2021-05-05,false,4\n",
    "huge values": "a,y\n1e300,1\n-1e300,2\n1e38,3\n2,4\n5,5\n",
    "a text label for a regression": "a,y\n1,2\n2,x\n",
    "UTF-16": "\uFEFFa,y\n",
  };
  test.each(Object.entries(cases))("%s", (name, text) => {
    const file = write(`case-${name.replaceAll(" ", "-")}.csv`, text);
    const args = ["train", "--data", file, "--label", "y", "--epochs", "2", "--out", join(dir, `case-${name.replaceAll(" ", "-")}.json`)];
    if (name === "a text label for a regression") args.push("--task", "regression");
    const run = gradstep(args);
    expect([0, 2]).toContain(run.status);
    if (run.status === 2) expectNoStackTrace(run);
  });
});
