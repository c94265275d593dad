import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { argumentsOf } from "./messages.js";
import { describe, expect, test } from "vitest";
import { typedBackend } from "../src/engine/backend.js";
import modelErrors from "../src/i18n/catalogues/model-errors/en.js";
import { LANGS } from "../src/i18n/lang.js";
import { english, loadTranslator } from "../src/i18n/translate.js";
import { InputError } from "../src/input-error.js";
import { say, type Say } from "../src/i18n/translate.js";
import { readBytes } from "../src/io/files.js";
import { decodeModel } from "../src/io/gradstep-format.js";
import { ACTIVATION_RULES } from "../src/rules/activations.js";
import { initialNetwork } from "../src/train/init.js";
import { heldOutRows } from "../src/train/table/fit.js";
import { DivergenceError, startTraining, train } from "../src/train/trainer.js";
import type { Dataset } from "../src/train/data/dataset.js";
import { gradstep } from "./cli.js";

/**
 * Errors about models, data sets, tables and training settings in every
 * language: the place (file, line, column, JSON path, flag) exactly as in
 * English, the detail translated, numbers, names and paths as they are.
 */

const dir = mkdtempSync(join(tmpdir(), "gradstep-model-errors-"));
const KEYS = Object.keys(modelErrors) as (keyof typeof modelErrors)[];

describe("every model error message", () => {
  for (const lang of LANGS) {
    test(`${lang}: formats with any values, one line, no argument left unfilled`, async () => {
      const t = await loadTranslator(lang);
      for (const key of KEYS) {
        for (const value of [1, 2, "x"]) {
          const values = Object.fromEntries(argumentsOf(modelErrors[key], "en").map((name) => [name, value]));
          const text = t.text(key, values);
          expect(text, key).not.toMatch(/[{}\n]/);
        }
      }
    });
  }

  test("the tanh GELU's reason is the rules table's own words in English", () => {
    expect(english.text("modelError.tfjs.geluTanh")).toBe((ACTIVATION_RULES.gelu_tanh.keras as { unsupported: string }).unsupported);
  });
});

describe("an error of the library, localized", () => {
  test("a bad test fraction: the option as in English, the detail translated", async () => {
    const error = (() => {
      try {
        heldOutRows(10, 1.5, 1);
      } catch (e) {
        return e as InputError;
      }
      throw new Error("no error");
    })().withFlagName();
    expect(error.message).toBe("--test-fraction: expected a share from 0 up to (not including) 1, found 1.5");
    const de = error.localized(await loadTranslator("de"));
    expect(de).toMatch(/^--test-fraction: erwartet einen Anteil .* gefunden 1\.5$/);
    expect(error.localized(await loadTranslator("ja"))).toMatch(/^--test-fraction: .*1\.5/);
  });

  test("a missing file: the file as named, what it should be and what was found in the reader's words", async () => {
    const zh = await loadTranslator("zh");
    const missing = join(dir, "missing.csv");
    const error = (what: Say): InputError => {
      try {
        readBytes(missing, what);
      } catch (e) {
        return e as InputError;
      }
      throw new Error("read a missing file");
    };
    const phrased = error(say("modelError.what.csv"));
    expect(phrased.message).toBe(`${missing}: expected a CSV file, found no such file`);
    expect(phrased.localized(zh)).toMatch(new RegExp(`^${missing.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: 应为 ?CSV 文件，但文件不存在$`));
  });

  test("a model file of the wrong shape: the JSON path as in English", async () => {
    const model = JSON.stringify({
      format: "gradstep-model",
      version: 1,
      dtype: "float64",
      network: { inputs: 2, layers: [{ units: 1, activation: "identity", bias: "perNeuron" }] },
      weights: [{ weights: [[1, 2, 3]], bias: [0] }],
    });
    let error: InputError | undefined;
    try {
      decodeModel(model, "m.json", () => {
        throw new Error("no weights file");
      });
    } catch (e) {
      error = e as InputError;
    }
    expect(error!.message).toBe("m.json: weights[0].weights[0]: has 3 numbers; expected 2, one per input to layer 0");
    const zh = error!.localized(await loadTranslator("zh"));
    expect(zh.startsWith("m.json: weights[0].weights[0]: ")).toBe(true);
    expect(zh).toMatch(/[\u4e00-\u9fff].*3.*2/);
  });

  test("a diverging run says where in the reader's language", async () => {
    // Two samples of one feature whose targets sit far apart: SGD at a huge rate overflows.
    const data: Dataset = { name: "tiny", inputs: Float32Array.from([1e3, -1e3]), labels: Int32Array.from([0, 1]), count: 2, features: 1, classes: 2 };
    const spec = initialNetwork({ inputs: 1, hidden: [4], activation: "relu", classes: 2 }, "he", 1);
    const state = startTraining(spec, typedBackend("float32"), { name: "sgd" });
    let error: DivergenceError | undefined;
    try {
      train(
        state,
        { train: data, test: data },
        { epochs: 50, batchSize: 2, learningRate: 1e30, schedule: { name: "constant" }, optimizer: { name: "sgd" }, seed: 1 },
      );
    } catch (e) {
      error = e as DivergenceError;
    }
    expect(error).toBeInstanceOf(DivergenceError);
    expect(error!.message).toMatch(
      /^the loss became .* at epoch \d+, step \d+: .*\. Try a smaller learning rate \(now 1e\+30\) or inputs scaled to \[0, 1\]\.$/,
    );
    expect(error!.localized(english)).toBe(error!.message);
    const epoch = /epoch (\d+), step (\d+)/.exec(error!.message)!;
    const zh = error!.localized(await loadTranslator("zh"));
    expect(zh).toContain("学习率");
    expect(zh).toContain("1e+30");
    expect(zh).toContain(`第 ${epoch[1]} 轮第 ${epoch[2]} 步`);
    const de = error!.localized(await loadTranslator("de"));
    expect(de).toMatch(new RegExp(`^der Verlust wurde in Epoche ${epoch[1]}, Schritt ${epoch[2]} zu .*Lernrate \\(jetzt 1e\\+30\\)`));
    expect(error!.localized(await loadTranslator("ja"))).toContain("学習率");
  });
});

// The files the CLI is given: each wrong in one way.
const table = join(dir, "table.csv");
writeFileSync(table, ["x,y,label", "1,2,a", "3,4,b", "5,6,a", "7,8,b", "9,10,a", "11,12,b"].join("\n") + "\n");
const badCell = join(dir, "bad-cell.csv");
writeFileSync(badCell, ["x,y,label", "1,2,a", '3,4"5,b', "5,6,a"].join("\n") + "\n");
const idxDir = join(dir, "idx");
mkdirSync(idxDir);
// An images file whose header promises 2 × 28 × 28 bytes and holds 10.
const header = Buffer.alloc(16);
header.writeUInt32BE(0x00000803, 0);
header.writeUInt32BE(2, 4);
header.writeUInt32BE(28, 8);
header.writeUInt32BE(28, 12);
writeFileSync(join(idxDir, "train-images-idx3-ubyte"), Buffer.concat([header, Buffer.alloc(10)]));
for (const name of ["train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]) writeFileSync(join(idxDir, name), Buffer.alloc(8));
const wrongShape = join(dir, "wrong-shape.json");
writeFileSync(
  wrongShape,
  JSON.stringify(
    {
      format: "gradstep-model",
      version: 1,
      dtype: "float64",
      network: { inputs: 2, layers: [{ units: 2, activation: "relu", bias: "perNeuron" }] },
      weights: [{ weights: [[1, 2]], bias: [0, 0] }],
    },
    null,
    2,
  ),
);
const notOnnx = join(dir, "not-a-model.onnx");
writeFileSync(notOnnx, "this is not a protobuf message at all\n");

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** The place before the detail, as English writes it. */
  readonly place: string;
  /** Text every language keeps: numbers, names, paths. */
  readonly kept: readonly string[];
}

const CASES: readonly Case[] = [
  { name: "a CSV file with a quote inside a cell", args: ["train", "--data", badCell, "--label", "label"], place: `${badCell}:3:4: `, kept: [] },
  {
    name: "a table without the label column",
    args: ["train", "--data", table, "--label", "lable"],
    place: `${table}: `,
    kept: ["--label", '"lable"', '"label"', '"x"'],
  },
  {
    name: "a test fraction of 1",
    args: ["train", "--data", table, "--label", "label", "--test-fraction", "1"],
    place: "--test-fraction: ",
    kept: [" 1"],
  },
  {
    name: "a truncated IDX file",
    args: ["train", "--data", idxDir],
    place: `${join(idxDir, "train-images-idx3-ubyte")}: `,
    kept: ["2×28×28", "1,568", "10"],
  },
  {
    name: "a model file with a weight matrix of the wrong shape",
    args: ["inspect", wrongShape],
    place: `${wrongShape}: weights[0].weights: `,
    kept: ["1", "2", "0"],
  },
  { name: "an ONNX file that is not a model", args: ["inspect", notOnnx], place: `${notOnnx}: `, kept: ["ONNX"] },
];

const LOCALES = { zh: "zh_CN.UTF-8", ja: "ja_JP.UTF-8", de: "de_DE.UTF-8" } as const;
const WORDS = { zh: /[\u4e00-\u9fff]/, ja: /[\u3040-\u30ff\u4e00-\u9fff]/, de: /\b(erwartet|gefunden|keine?|Spalte|Datei|Modell)\b/ } as const;

describe("the CLI's errors about models and data, in the reader's language", () => {
  for (const c of CASES) {
    test(c.name, () => {
      const en = gradstep(c.args);
      expect(en.status).toBe(2);
      expect(en.stderr).not.toMatch(/\n\s+at /);
      const line = en.stderr.trim();
      expect(line.split("\n")).toHaveLength(1);
      expect(line.startsWith(`gradstep: ${c.place}`)).toBe(true);
      const englishDetail = line.slice(`gradstep: ${c.place}`.length);
      for (const kept of c.kept) expect(englishDetail).toContain(kept);
      for (const [lang, locale] of Object.entries(LOCALES) as [keyof typeof LOCALES, string][]) {
        const run = gradstep(c.args, { env: { LANG: locale, LC_ALL: "", LC_MESSAGES: "" } });
        expect({ lang, status: run.status }).toEqual({ lang, status: 2 });
        expect(run.stderr).not.toMatch(/\n\s+at /);
        const translated = run.stderr.trim();
        expect(translated.split("\n")).toHaveLength(1);
        expect(translated.startsWith(`gradstep: ${c.place}`)).toBe(true);
        const detail = translated.slice(`gradstep: ${c.place}`.length);
        expect({ lang, detail }).not.toEqual({ lang, detail: englishDetail });
        expect(detail).toMatch(WORDS[lang]);
        for (const kept of c.kept) expect({ lang, detail }).toEqual({ lang, detail: expect.stringContaining(kept) });
      }
    });
  }
});
