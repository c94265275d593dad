import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HELP } from "../src/cli/help-text.js";
import { loadTranslator, type Translator } from "../src/i18n/translate.js";
import { CLI, ENGLISH, gradstep, type Run } from "./cli.js";
import { houses, penguins, toCsv } from "./table/fixtures.js";

/**
 * train, eval, predict, inspect, export, examples and serve in Chinese,
 * Japanese and German (the built CLI, `npm run build` first): every sentence
 * in the language asked for, no English sentence left, and the numbers those
 * of the English run.
 */

const LANGS = ["zh", "ja", "de"] as const;
type Lang = (typeof LANGS)[number];

/** A word each language's reports use, and a character of its script. */
const WORDS: Readonly<Record<Lang, RegExp>> = {
  zh: /[\u4e00-\u9fff]/,
  ja: /[\u3040-\u30ff]|行目|損失/,
  de: /\b(Verlust|Genauigkeit|Schicht|Eingaben|Zeilen?|Beispiele?|geschrieben|Hinweis|Seite|erwartet)\b/,
};

/** English sentences and headings of these commands that a translated report must not contain (names, numbers and files aside). */
const ENGLISH_WORDS =
  /\bepoch \d|\bloss \d|\btest (loss|acc)|samples\/s|\btraining and\b|\bnetwork \d|\bwrote\b|\bafter \d|\bsamples, |\baccuracy \d|\bconfusion matrix\b|\bprecision +recall\b|\bsample +\d+:|\blabel \d|\brow +\d+:|\bparameters\b|\bactivation +bias\b|\bfeatures: |\bleft out\b|\bheld out\b|\bclassification of\b|\bregression of\b|\bnote: |\bread \/|\bserving the page\b|\bwarning: |\bexpected\b/;

const dir = mkdtempSync(join(tmpdir(), "gradstep-i18n-commands-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PENGUINS = join(dir, "penguins.csv");
const HOUSES = join(dir, "houses.csv");
writeFileSync(PENGUINS, toCsv(penguins(200)));
writeFileSync(HOUSES, toCsv(houses(200)));

const translators = new Map<Lang, Translator>();
beforeAll(async () => {
  for (const lang of LANGS) translators.set(lang, await loadTranslator(lang));
});

function run(args: readonly string[], lang?: Lang): Run {
  return gradstep(lang ? [...args, "--lang", lang] : args);
}

/** The figures that do not depend on the machine: losses (4 decimals) and percentages (2 decimals); speeds and seconds left out. */
function figures(text: string): string[] {
  return text.match(/-?\d+\.\d{4}(?!\d)|\d+\.\d{1,2}%/g) ?? [];
}

function expectTranslated(text: string, lang: Lang): void {
  expect(text).toMatch(WORDS[lang]);
  expect(text).not.toMatch(ENGLISH_WORDS);
}

/** One training run per language (and one in English), each writing its own model. */
const trained = new Map<string, Run>();
function train(lang: Lang | "en", data: "digits" | "penguins" | "houses"): { run: Run; model: string } {
  const model = join(dir, `${data}-${lang}.json`);
  const key = `${data}/${lang}`;
  if (!trained.has(key)) {
    const args =
      data === "digits"
        ? ["train", "--epochs", "1", "--hidden", "16", "--seed", "3", "--threads", "1"]
        : [
            "train",
            "--data",
            data === "penguins" ? PENGUINS : HOUSES,
            "--label",
            data === "penguins" ? "Species" : "price (€)",
            "--epochs",
            "2",
            "--seed",
            "3",
            "--threads",
            "1",
          ];
    if (data === "houses") args.push("--ignore", "listing");
    trained.set(key, run([...args, "--out", model], lang === "en" ? undefined : lang));
  }
  return { run: trained.get(key)!, model };
}

describe.each(LANGS)("--lang %s", (lang) => {
  test("train: the data, the network, each epoch and the result in the language, the figures the English run's", () => {
    const english = train("en", "digits").run;
    const translated = train(lang, "digits").run;
    expect(translated.status).toBe(0);
    expectTranslated(translated.stderr, lang);
    expect(figures(translated.stderr)).toEqual(figures(english.stderr));
    expect(figures(translated.stderr).length).toBeGreaterThan(3);
  });

  test("train on tables: what was inferred, left out and filled in; a classification and a regression", () => {
    for (const data of ["penguins", "houses"] as const) {
      const english = train("en", data).run;
      const translated = train(lang, data).run;
      expect(translated.status).toBe(0);
      expectTranslated(translated.stderr, lang);
      expect(figures(translated.stderr)).toEqual(figures(english.stderr));
    }
  });

  test("eval and predict: the scores, the per-class table and confusion matrix, the predictions", () => {
    const digits = train("en", "digits").model;
    const penguinsModel = train("en", "penguins").model;
    const housesModel = train("en", "houses").model;
    for (const args of [
      ["eval", digits],
      ["predict", digits, "--limit", "4"],
      ["eval", penguinsModel, "--data", PENGUINS],
      ["predict", penguinsModel, "--data", PENGUINS, "--limit", "3"],
      ["eval", housesModel, "--data", HOUSES],
    ]) {
      const english = run(args);
      const translated = run(args, lang);
      expect(translated.status).toBe(0);
      expectTranslated(translated.stdout, lang);
      expect(figures(translated.stdout)).toEqual(figures(english.stdout));
    }
    // The per-class table keeps its columns under the translated headings.
    const table = run(["eval", penguinsModel, "--data", PENGUINS], lang).stdout;
    for (const key of ["command.eval.precision", "command.eval.recall", "command.eval.support"] as const)
      expect(table).toContain(translators.get(lang)!.text(key));
  });

  test("inspect: the model described in the language, the figures and names as they are", () => {
    const model = train("en", "penguins").model;
    const english = run(["inspect", model]);
    const translated = run(["inspect", model], lang);
    expect(translated.status).toBe(0);
    expectTranslated(translated.stdout, lang);
    const numbers = (text: string) => text.replaceAll(model, "").match(/\d+(?:,\d{3})*/g);
    expect(numbers(translated.stdout)).toEqual(numbers(english.stdout));
    // JSON stays as it is.
    expect(run(["inspect", model, "--format", "json"], lang).stdout).toBe(run(["inspect", model, "--format", "json"]).stdout);
  });

  test("export: what was read and written, and the notes (onnxruntime and float64, TensorFlow.js rounding, a table's inputs)", () => {
    const problem = JSON.parse(readFileSync(join(import.meta.dirname, "../examples/seed-000-relu-2-2-1.json"), "utf8")) as {
      network: { layers: { activation: string }[] };
    };
    for (const layer of problem.network.layers) layer.activation = "elu";
    const file = join(dir, `elu-${lang}.json`);
    writeFileSync(file, JSON.stringify(problem));
    const out = (name: string) => join(dir, `${lang}-${name}`);
    const exported = run(["export", file, "--model", out("m.json"), "--onnx", out("m.onnx"), "--tfjs", out("tfjs")], lang);
    expect(exported.status).toBe(0);
    expectTranslated(exported.stderr, lang);
    const t = translators.get(lang)!;
    expect(exported.stderr).toContain(t.text("command.export.onnxFloat32", { activations: "elu", file: out("m.onnx") }));
    expect(exported.stderr).toContain("float64");
    const table = run(["export", train("en", "houses").model, "--onnx", out("houses.onnx"), "--tfjs", out("houses-tfjs")], lang);
    expect(table.status).toBe(0);
    expectTranslated(table.stderr, lang);
  });

  test("input errors of these commands are said in the language, their place as it is", () => {
    for (const [args, file] of [
      [["export", join(dir, "none.json")], undefined],
      [["train", "--data", PENGUINS, "--out", join(dir, "x.json")], PENGUINS],
      [["serve", "--port", "nope"], undefined],
      [["eval", train("en", "penguins").model, "--data", "digits"], undefined],
    ] as const) {
      const failed = run(args, lang);
      expect(failed.status).toBe(2);
      expect(failed.stderr).toMatch(/^gradstep: /);
      expect(failed.stderr).toMatch(WORDS[lang]);
      expect(failed.stderr).not.toMatch(/\bexpected\b/);
      if (file) expect(failed.stderr).toContain(file);
    }
  });

  test("examples: --lang is accepted; the list is the exercises' names and titles, as written", () => {
    const listed = run(["examples"], lang);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toBe(run(["examples"]).stdout);
  });

  test("serve: the listening line in the language, the address and link as they are", async () => {
    const child = spawn(process.execPath, [CLI, "serve", "--port", "0", "--lang", lang], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...ENGLISH },
    });
    try {
      const out = await new Promise<string>((done, fail) => {
        let text = "";
        const timer = setTimeout(() => fail(new Error(`no address in 20 s: ${text}`)), 20_000);
        child.stdout.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          if (/^http:\/\/\S+$/m.test(text)) {
            clearTimeout(timer);
            done(text);
          }
        });
      });
      const [line, url] = out.trim().split("\n");
      expect(line).toMatch(/^gradstep: /);
      expectTranslated(line!, lang);
      expect(line).toMatch(/127\.0\.0\.1:\d+/);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    } finally {
      child.kill();
    }
  });

  test("--help: each command's options described in the language", () => {
    const t = translators.get(lang)!;
    const squeeze = (text: string) => text.replace(/\s+/g, "");
    for (const command of ["train", "eval", "predict", "export", "inspect", "examples", "serve"]) {
      const help = run([command, "--help"], lang);
      expect(help.status).toBe(0);
      expect(squeeze(help.stdout)).toContain(squeeze(t.text(HELP[command]!.description)));
      for (const key of Object.values(HELP[command]!.options ?? {}))
        expect({ command, key, help: squeeze(help.stdout) }).toMatchObject({ help: expect.stringContaining(squeeze(t.text(key))) as string });
    }
  });
});

test("the language of LANG when --lang is not given", () => {
  const model = train("en", "penguins").model;
  const german = gradstep(["inspect", model], { env: { LANG: "de_DE.UTF-8" } });
  expect(german.stdout).toBe(run(["inspect", model], "de").stdout);
  expect(gradstep(["inspect", model], { env: { LANG: "de_DE.UTF-8", LC_ALL: "C" } }).stdout).toBe(run(["inspect", model]).stdout);
});

test("English output is the commands' own, whatever the catalogue: the epoch line and the final line", () => {
  const { stderr } = train("en", "digits").run;
  expect(stderr).toMatch(
    /^epoch 1\/1 {2}loss \d\.\d{4} {2}acc \d+\.\d{2}% {2}│ {2}test loss \d\.\d{4} {2}test acc \d+\.\d{2}% {2}│ {2}lr 0\.00100 {2}[\d,]+ samples\/s {2}\d+\.\d s$/m,
  );
  expect(stderr).toMatch(/^test accuracy \d+\.\d{2}% after 1 epoch; wrote .*digits-en\.json, .*digits-en\.safetensors, .*digits-en\.svg$/m);
});
