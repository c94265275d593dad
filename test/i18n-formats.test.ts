import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import katex from "katex";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSolution, type Solution } from "../src/explain/solution.js";
import { loadTranslator, type Translator } from "../src/i18n/translate.js";
import { parseProblem, solve, type Problem, type Trace } from "../src/index.js";
import { renderCsv } from "../src/render/csv.js";
import { renderHtml } from "../src/render/html.js";
import { latexEngine, renderLatex } from "../src/render/latex.js";
import { renderMarkdown } from "../src/render/markdown.js";
import { renderXlsx } from "../src/render/xlsx.js";
import { renderSolutionText } from "../src/render/solution-text.js";
import { EXAMPLES_DIR, readCases } from "./cases.js";
import { gradstep } from "./cli.js";
import { compileLatex } from "./documents.js";

/**
 * Every built-in exercise's worked solution in Chinese, Japanese and German,
 * in every document format, compared with test/__snapshots__/i18n/LANG/
 * (English is test/formats.test.ts's), and checked as the English ones are:
 * LaTeX compiles (xelatex with xeCJK for Chinese and Japanese), Markdown's
 * math parses with KaTeX, HTML is self-contained and says its language,
 * and no English sentence is left in the words.
 */

const LANGS = ["zh", "ja", "de"] as const;
type Lang = (typeof LANGS)[number];
const FORMATS = { text: "txt", markdown: "md", latex: "tex", html: "html", csv: "csv" } as const;
type Format = keyof typeof FORMATS;

const cases = readCases(EXAMPLES_DIR);
const dir = mkdtempSync(join(tmpdir(), "gradstep-i18n-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const translators = new Map<Lang, Translator>();
beforeAll(async () => {
  for (const lang of LANGS) translators.set(lang, await loadTranslator(lang));
});

const solved = new Map<string, { problem: Problem; trace: Trace; solution: Solution }>();
function solvedCase(name: string, lang: Lang) {
  const key = `${lang}/${name}`;
  let found = solved.get(key);
  if (!found) {
    const problem = parseProblem(cases.find((c) => c.name === name)!.json);
    const trace = solve(problem);
    found = { problem, trace, solution: buildSolution(problem, trace, { t: translators.get(lang)! }) };
    solved.set(key, found);
  }
  return found;
}

function render(name: string, lang: Lang, format: Format): string {
  const { problem, trace, solution } = solvedCase(name, lang);
  switch (format) {
    case "text":
      return renderSolutionText(solution, { color: false, width: 100 });
    case "markdown":
      return renderMarkdown(solution);
    case "latex":
      return renderLatex(solution);
    case "html":
      return renderHtml(solution);
    case "csv":
      return renderCsv(problem, trace, { t: translators.get(lang)! });
  }
}

/** English words of the worked solution that a translated one must not contain (the problem's own title aside). */
const ENGLISH = /Forward pass|Backward pass|Loss:|Step \d|Hidden layer|Output layer|Network:|Update|learning rate|Gradient with|Worked by/;

for (const lang of LANGS) {
  describe(`${lang}: golden documents`, () => {
    for (const c of cases) {
      for (const format of Object.keys(FORMATS) as Format[]) {
        test(`${c.name}.${FORMATS[format]}`, async () => {
          const output = render(c.name, lang, format);
          await expect(output).toMatchFileSnapshot(`__snapshots__/i18n/${lang}/${c.name}.${FORMATS[format]}`);
          if (format !== "csv") expect(output.split("\n").slice(1).join("\n")).not.toMatch(ENGLISH);
        });
      }
    }
  });

  describe(`${lang}: each format keeps its promise`, () => {
    for (const c of cases) {
      test(`${c.name}: LaTeX compiles${lang === "de" ? ", hyphenated as German" : " with xelatex"}`, () => {
        const tex = render(c.name, lang, "latex");
        if (lang !== "de") expect(latexEngine(tex)).toBe("xelatex");
        const { status, error, pdf, log } = compileLatex(tex, join(dir, `${lang}-${c.name}`));
        expect(status, error).toBe(0);
        expect(pdf).toBe(true);
        // German is hyphenated by German rules: babel's ngerman (Debian's texlive-lang-german) is loaded.
        if (lang === "de") expect(log).toMatch(/ngerman\.ldf/);
      }, 120_000);

      test(`${c.name}: Markdown's math parses with KaTeX`, () => {
        const markdown = render(c.name, lang, "markdown");
        const display = [...markdown.matchAll(/^\$\$\n([^]*?)\n\$\$$/gm)].map((m) => m[1]!);
        const inline = markdown
          .split("\n")
          .filter((line) => !line.startsWith("$$") && !line.startsWith("\\"))
          .flatMap((line) => line.split(/(?<!\\)\$/).filter((_, k) => k % 2 === 1));
        expect(display.length).toBeGreaterThan(0);
        expect(inline.length).toBeGreaterThan(0);
        for (const [tex, displayMode] of [...display.map((d) => [d, true] as const), ...inline.map((i) => [i, false] as const)]) {
          expect(() => katex.renderToString(tex, { throwOnError: true, displayMode }), tex).not.toThrow();
        }
      });

      test(`${c.name}: HTML is self-contained and in ${lang}`, () => {
        const html = render(c.name, lang, "html");
        expect(html).toContain(`<html lang="${lang}">`);
        expect(html).not.toMatch(/<script|<link|@import|katex-error/i);
        expect(html.replace(/\bxmlns="[^"]*"/g, "")).not.toMatch(/https?:\/\//i);
      });
    }
  });
}

describe("xlsx: the sheet's name, titles and column titles in the language", () => {
  const expected = { zh: ["练习", "名称", "已知量"], ja: ["演習", "名前", "与えられた値"], de: ["Aufgabe", "Name", "Gegeben"] } as const;
  for (const lang of LANGS) {
    test(lang, async () => {
      const ExcelJS = (await import("exceljs")).default;
      const { problem, trace } = solvedCase("seed-001-sigmoid-batch2-shared-bias", lang);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await renderXlsx(problem, trace, { t: translators.get(lang)! })) as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      const [name, column, given] = expected[lang];
      expect(sheet.name).toBe(name);
      const cells: string[] = [];
      sheet.eachRow((row) => cells.push(row.getCell(1).text));
      expect(cells).toContain(column);
      expect(cells).toContain(given);
      expect(cells.join("\n")).not.toMatch(ENGLISH);
    });
  }
});

describe("CLI: --lang prints what the library renders", () => {
  const name = "seed-004-sigmoid-3-2-2-shared-bias";
  for (const lang of LANGS) {
    test(`solve --lang ${lang}`, () => {
      const run = gradstep(["solve", "--example", name, "--lang", lang]);
      expect(run.stderr).toBe("");
      expect(run.stdout).toBe(render(name, lang, "text"));
    });
  }

  test("the language comes from LANG when --lang is not given", () => {
    const run = gradstep(["solve", "--example", name, "--format", "markdown"], { env: { LANG: "ja_JP.UTF-8" } });
    expect(run.stdout).toBe(render(name, "ja", "markdown"));
  });

  test("--format pdf writes a handout with a Chinese title", () => {
    const file = join(dir, "handout.pdf");
    const run = gradstep(["solve", "--example", name, "--lang", "zh", "--format", "pdf", "--output", file]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  }, 120_000);

  test("check --lang de: the table and the slips in German", () => {
    const run = gradstep(["check", "--example", "seed-003-relu-1-2-2-1-two-steps", "--lang", "de"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^Größe +angegeben +richtig +Bewertung$/m);
    expect(run.stdout).toContain("121 von 139 stimmen; 18 sind falsch.");
    expect(run.stdout).toContain("Wahrscheinlicher Fehler: zwei Ziffern vertauscht: 2.5436 statt 2.5346.");
  });

  test("check --worksheet --lang zh: the marks, the worksheet checker's explanations and the summary in Chinese", () => {
    const worksheet = new URL("./worksheets/seed-004-zh.md", import.meta.url).pathname;
    const run = gradstep(["check", "--example", name, "--worksheet", worksheet, "--lang", "zh"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("✗ 算术：算出来是 5.30，不是 5.2");
    expect(run.stdout).toContain("? 未检查（不是本题中的值）：∂o_1/∂z_o1 是链式法则中的一个因子，不是本题中的值");
    expect(run.stdout).toContain("可能的错误：两位数字写反了（写成 0.1795，应为 0.1975）");
    expect(run.stdout).toContain("检查了 24 个值：21 个正确，3 个错误；12 步算术：2 处错误；1 个等式无法识别。");
  });

  test("input errors: the place as it is, the detail in the language (where the message is in the catalogue)", () => {
    const unknown = gradstep(["solve", "--example", "nope", "--lang", "ja"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^gradstep: "nope" という組み込みの演習はない。次のいずれか：seed-000-relu-2-2-1, /);
    const claims = join(dir, "empty-claims.json");
    writeFileSync(claims, "[]");
    const none = gradstep(["check", "--example", name, "--claims", claims], { env: { LANG: "de_DE.UTF-8" } });
    expect(none.stderr).toBe(`gradstep: ${claims}: erwartet Angaben zum Prüfen, gefunden keine (eine "claims"-Liste in der Datei oder --claims FILE)\n`);
  });

  test("check --lang zh: CJK headers line up with the columns", () => {
    const lines = gradstep(["check", "--example", "seed-003-relu-1-2-2-1-two-steps", "--lang", "zh"]).stdout.split("\n");
    // 量 takes two columns: the rule under it and the values line up at the same column.
    expect(lines[0]).toMatch(/^量 {6}所填值/);
    expect(lines[1]!.indexOf(" ")).toBe(6);
  });
});
