import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { IntlMessageFormat } from "intl-messageformat";
import errorsEn from "../src/i18n/catalogues/errors/en.js";
import errorsZh from "../src/i18n/catalogues/errors/zh.js";
import errorsJa from "../src/i18n/catalogues/errors/ja.js";
import errorsDe from "../src/i18n/catalogues/errors/de.js";
import { english, loadTranslator, type MessageKey } from "../src/i18n/translate.js";
import { InputError } from "../src/input-error.js";
import { parseProblem } from "../src/problem/parse.js";
import { solve } from "../src/solve/solve.js";
import { NumericError } from "../src/solve/numeric-error.js";
import { gradstep } from "./cli.js";

/**
 * Errors for bad input in the reader's language: the place (file:line:column:
 * path:) exactly as in English, the detail translated, and the numbers, paths
 * and quoted text of the input unchanged.
 */

const dir = mkdtempSync(join(tmpdir(), "gradstep-i18n-errors-"));
const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

const GOOD = `network:
  inputs: 2
  layers:
    - units: 1
      activation: sigmoid
      weights: [[0.1, 0.2]]
      bias: [0]
loss: { type: half_squared_error }
data: { inputs: [[1, 2]], targets: [[1]] }
training: { steps: 0 }
`;
write("good.yaml", GOOD);
write("schema.yaml", GOOD.replace("[[0.1, 0.2]]", '[[0.1, "x"]]'));
write("activation.yaml", GOOD.replace("activation: sigmoid", "activation: sigmoyd"));
write("syntax.json", '{"network": {"inputs": 2,, }}');
write("deep.json", `${"[".repeat(65)}${"]".repeat(65)}`);
write(
  "samples.json",
  JSON.stringify({
    network: { inputs: 1, layers: [{ units: 1, activation: "identity", weights: [[1]], bias: [0] }] },
    loss: { type: "half_squared_error" },
    data: { inputs: Array.from({ length: 100_001 }, () => [1]), targets: Array.from({ length: 100_001 }, () => [1]) },
    training: { steps: 0 },
  }),
);
write("claims.json", '[{"value": 1}]');
write("overflow.yaml", GOOD.replace("[[0.1, 0.2]]", "[[1e300, 1e300]]").replace("[[1, 2]]", "[[1e300, 1e300]]").replace("sigmoid", "identity"));

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** What comes before the detail: the place, as English writes it. */
  readonly place: string;
  /** Text of the input that every language writes as it is. */
  readonly kept: readonly string[];
  readonly exit?: number;
}

const CASES: readonly Case[] = [
  { name: "a schema error in YAML", args: ["solve", "schema.yaml"], place: "schema.yaml:6:23: network.layers[0].weights[0][1]: ", kept: ['"x"'] },
  { name: "a JSON syntax error", args: ["solve", "syntax.json"], place: "syntax.json:1:26: ", kept: ['","', "JSON"] },
  {
    name: "an unknown activation, with a hint",
    args: ["solve", "activation.yaml"],
    place: "activation.yaml:5:7: network.layers[0].activation: ",
    kept: ['"sigmoyd"', '"sigmoid"', '"gelu_tanh"'],
  },
  { name: "nesting past the limit", args: ["solve", "deep.json"], place: "deep.json:1:65: ", kept: ["64"] },
  { name: "too many samples", args: ["solve", "samples.json"], place: "samples.json:1:144: data.inputs: ", kept: [] },
  { name: "a bad claims file", args: ["check", "good.yaml", "--claims", "claims.json"], place: "claims.json: [0]: ", kept: ['"path"', '"name"'] },
  { name: "solve with both FILE and --example", args: ["solve", "good.yaml", "--example", "xor"], place: "", kept: ['"good.yaml"', '"xor"'] },
  { name: "explain --step that is not a whole number", args: ["explain", "good.yaml", "w1", "--step", "x"], place: "--step: ", kept: ['"x"'] },
  { name: "--notation without --worksheet", args: ["check", "good.yaml", "--notation", "good.yaml"], place: "--notation: ", kept: ["--worksheet FILE"] },
  { name: "an unreadable worksheet", args: ["check", "good.yaml", "--worksheet", "missing.md"], place: "missing.md: ", kept: [] },
  {
    name: "NaN or infinity while solving",
    args: ["solve", "overflow.yaml"],
    place: "",
    kept: ["steps[0].forward[0].z[0][0]", "Infinity"],
    exit: 3,
  },
];

/** Words of each language: Han characters for Chinese, kana for Japanese, a German word. */
const WORDS: Readonly<Record<string, RegExp>> = {
  zh: /[\u4e00-\u9fff]/,
  ja: /[\u3040-\u30ff]/,
  de: /\b(erwartet|gefunden|ungültiges|fehlt|unbekanntes|Schritt|Beispiele|verschachtelt|Eingaben|keine)\b/,
};

const PREFIX = "gradstep: ";

describe("errors for bad input in the reader's language", () => {
  for (const c of CASES) {
    test(c.name, () => {
      const en = gradstep([...c.args, "--lang", "en"], { cwd: dir });
      expect(en.status).toBe(c.exit ?? 2);
      expect(en.stderr.startsWith(PREFIX + c.place)).toBe(true);
      const englishDetail = en.stderr.slice(PREFIX.length + c.place.length);
      for (const lang of ["zh", "ja", "de"]) {
        // --lang, and (for one language, to keep the test short) the environment's locale, say the same.
        const runs = [gradstep([...c.args, "--lang", lang], { cwd: dir })];
        if (lang === "de") runs.push(gradstep(c.args, { cwd: dir, env: { LC_ALL: "de_DE.UTF-8" } }));
        for (const run of runs) {
          expect(run.status, `${lang}: ${run.stderr}`).toBe(c.exit ?? 2);
          expect(run.stderr).not.toMatch(/\n\s+at /);
          expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
          expect(run.stderr.startsWith(PREFIX + c.place), `${lang}: ${run.stderr}`).toBe(true);
          const detail = run.stderr.slice(PREFIX.length + c.place.length);
          expect(detail).not.toBe(englishDetail);
          expect(detail, `${lang}: ${detail}`).toMatch(WORDS[lang]!);
          if (lang === "zh") expect(detail).not.toMatch(/[\u3040-\u30ff]/);
          for (const kept of c.kept) expect(detail, `${lang}: ${detail}`).toContain(kept);
        }
      }
    });
  }

  test("counts keep their digits; German groups them as German does", () => {
    const en = gradstep(["solve", "samples.json"], { cwd: dir });
    expect(en.stderr).toContain("has 100,001 samples; gradstep solves exercises of at most 100,000");
    expect(gradstep(["solve", "samples.json", "--lang", "de"], { cwd: dir }).stderr).toContain("100.001 Beispiele");
    expect(gradstep(["solve", "samples.json", "--lang", "zh"], { cwd: dir }).stderr).toContain("100,001");
  });
});

describe("the error catalogue", () => {
  const CATALOGUES = { en: errorsEn, zh: errorsZh, ja: errorsJa, de: errorsDe } as const;

  /** A value for each argument of a message: a count where it chooses a plural form, else a text. */
  function sampleValues(message: string, count: number): Record<string, string | number> {
    const values: Record<string, string | number> = {};
    const walk = (elements: readonly { type: number; value?: string; options?: Record<string, { value: unknown[] }> }[]) => {
      for (const element of elements) {
        // 1: an argument, 2: a number, 5: select, 6: plural (intl-messageformat's TYPE).
        if (element.value !== undefined && [1, 2, 5, 6].includes(element.type))
          values[element.value] ??= element.type === 6 || element.type === 2 ? count : "ARG";
        for (const option of Object.values(element.options ?? {})) walk(option.value as never);
      }
    };
    walk(new IntlMessageFormat(message, "en", undefined, { ignoreTag: true }).getAst());
    return values;
  }

  for (const lang of ["en", "zh", "ja", "de"] as const) {
    test(`${lang}: every message formats, with no brace left over`, async () => {
      const t = await loadTranslator(lang);
      for (const key of Object.keys(errorsEn) as (keyof typeof errorsEn & MessageKey)[]) {
        expect(CATALOGUES[lang]).toHaveProperty([key]);
        for (const count of [1, 2, 100]) {
          const text = t.text(key, sampleValues(errorsEn[key], count));
          expect(text, key).not.toMatch(/[{}]/);
          expect(text, key).not.toMatch(/[\r\n]/);
          if (!/separator|place$/.test(key)) expect(text.trim().length, key).toBeGreaterThan(0);
        }
      }
    });
  }

  test("a problem file's error: the same place in every language, the detail translated", async () => {
    const bad = GOOD.replace("units: 1", "units: 1\n      activaton: relu");
    let error: unknown;
    try {
      parseProblem(bad, { file: "bad.yaml" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    const input = error as InputError;
    expect(input.localized(english)).toBe(input.message);
    expect(input.message).toBe(
      'bad.yaml:5:7: network.layers[0].activaton: unknown field "activaton" (did you mean "activation"?); network.layers[0] allows only units, activation, weights, bias, sharedBias',
    );
    const zh = input.localized(await loadTranslator("zh"));
    expect(zh.startsWith("bad.yaml:5:7: network.layers[0].activaton: ")).toBe(true);
    expect(zh).toContain('"activation"');
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
  });

  test("NaN or infinity: the path and step as in English, the words translated", async () => {
    const problem = parseProblem(GOOD.replace("[[0.1, 0.2]]", "[[1e300, 1e300]]").replace("[[1, 2]]", "[[1e300, 1e300]]").replace("sigmoid", "identity"));
    let error: unknown;
    try {
      solve(problem);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(NumericError);
    const numeric = error as NumericError;
    expect(numeric.localized(english)).toBe(numeric.message);
    expect(numeric.message).toMatch(/^steps\[0\]\.forward\[0\]\.z\[0\]\[0\] is Infinity at step 0 \(layer 0, sample 0, neuron 0\); the learning rate/);
    const de = numeric.localized(await loadTranslator("de"));
    expect(de).toMatch(/^steps\[0\]\.forward\[0\]\.z\[0\]\[0\] ist Infinity in Schritt 0 \(Schicht 0, Beispiel 0, Neuron 0\); .*Lernrate/);
  });
});
