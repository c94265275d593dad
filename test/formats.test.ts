import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import katex from "katex";
import { afterAll, describe, expect, test } from "vitest";
import { buildSolution, type Solution } from "../src/explain/solution.js";
import { parseProblem, solve, type Problem, type Trace } from "../src/index.js";
import { renderCsv } from "../src/render/csv.js";
import { renderHtml } from "../src/render/html.js";
import { latexEngine, renderLatex } from "../src/render/latex.js";
import { renderMarkdown } from "../src/render/markdown.js";
import { renderSolutionText } from "../src/render/solution-text.js";
import { EXAMPLES_DIR, readCases } from "./cases.js";
import { CLI, gradstep } from "./cli.js";

/**
 * Every document format of every built-in exercise, compared with the files
 * in test/__snapshots__ (regenerate after an intended change with
 * `npx vitest run test/formats.test.ts -u`, then read the diff), and checked
 * for what each format promises: LaTeX compiles, HTML is one self-contained
 * page of MathML, Markdown's math parses, and the CLI prints the same bytes.
 */

const cases = readCases(EXAMPLES_DIR);
const dir = mkdtempSync(join(tmpdir(), "gradstep-formats-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type DocumentFormat = "text" | "markdown" | "latex" | "html" | "csv" | "json";

const EXTENSIONS: Readonly<Record<DocumentFormat, string>> = { text: "txt", markdown: "md", latex: "tex", html: "html", csv: "csv", json: "json" };

interface Solved {
  readonly problem: Problem;
  readonly trace: Trace;
  readonly solution: Solution;
}

const solved = new Map<string, Solved>();
function solvedCase(name: string): Solved {
  let found = solved.get(name);
  if (!found) {
    const c = cases.find((x) => x.name === name)!;
    const problem = parseProblem(c.json);
    const trace = solve(problem);
    found = { problem, trace, solution: buildSolution(problem, trace) };
    solved.set(name, found);
  }
  return found;
}

/** Each format as the library renders it, with the CLI's defaults (4 decimals; plain text 100 wide without colour). */
function render(name: string, format: DocumentFormat): string {
  const { problem, trace, solution } = solvedCase(name);
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
      return renderCsv(problem, trace);
    case "json":
      return JSON.stringify(trace, null, 2);
  }
}

function blockCount(name: string, kinds: readonly string[]): number {
  return solvedCase(name).solution.blocks.filter((b) => kinds.includes(b.kind)).length;
}

/** The blocks that render as one display formula each: derivations (and matrix equations, none in scalar form). */
const derivationCount = (name: string) => blockCount(name, ["derivation"]);
const displayCount = (name: string) => blockCount(name, ["derivation", "matrix"]);

test("there are built-in cases to render", () => {
  expect(cases.length).toBeGreaterThanOrEqual(5);
});

describe("golden documents", () => {
  for (const c of cases) {
    for (const format of Object.keys(EXTENSIONS) as DocumentFormat[]) {
      test(`${c.name}.${EXTENSIONS[format]}`, async () => {
        const output = render(c.name, format);
        expect(output.length).toBeGreaterThan(0);
        await expect(output).toMatchFileSnapshot(`__snapshots__/${c.name}.${EXTENSIONS[format]}`);
      });
    }
  }
});

describe("LaTeX: pdflatex compiles every document", () => {
  const pdflatex = spawnSync("pdflatex", ["--version"], { encoding: "utf8", timeout: 60_000 });

  test("pdflatex is installed", () => {
    // Not a skip: CI installs TeX Live, and a missing pdflatex must not pass silently.
    expect(pdflatex.error, "pdflatex is not on PATH: install it (Debian: apt-get install texlive-latex-base)").toBeUndefined();
    expect(pdflatex.status).toBe(0);
  });

  function compile(name: string): { status: number | null; error: string; pdf: boolean } {
    expect(pdflatex.error, "pdflatex is not on PATH: install it (Debian: apt-get install texlive-latex-base)").toBeUndefined();
    const work = join(dir, `latex-${name}`);
    mkdirSync(work, { recursive: true });
    const tex = render(name, "latex");
    writeFileSync(join(work, "solution.tex"), tex);
    const run = spawnSync(latexEngine(tex), ["-interaction=nonstopmode", "-halt-on-error", "solution.tex"], { cwd: work, encoding: "utf8", timeout: 60_000 });
    expect(run.error).toBeUndefined();
    const log = existsSync(join(work, "solution.log")) ? readFileSync(join(work, "solution.log"), "utf8") : run.stdout;
    // The first error and the lines after it, for a readable failure.
    const lines = log.split("\n");
    const first = lines.findIndex((line) => line.startsWith("!"));
    const pdf = join(work, "solution.pdf");
    return {
      status: run.status,
      error: first < 0 ? log.slice(-2000) : lines.slice(first, first + 12).join("\n"),
      pdf: existsSync(pdf) && readFileSync(pdf).subarray(0, 5).toString("latin1") === "%PDF-",
    };
  }

  // The titles of two cases hold CJK characters, which pdflatex cannot set: those documents name xelatex, and compile with it.
  test("a CJK title is set by xelatex with xeCJK, not written as code points", () => {
    const tex = render("seed-004-sigmoid-3-2-2-shared-bias", "latex");
    expect(latexEngine(tex)).toBe("xelatex");
    expect(tex).toContain("5.5.3 案例 1");
    expect(latexEngine(render("seed-000-relu-2-2-1", "latex"))).toBe("pdflatex");
  });

  for (const c of cases) {
    test(c.name, () => {
      const { status, error, pdf } = compile(c.name);
      expect(status, error).toBe(0);
      expect(pdf).toBe(true);
    });
  }
});

describe("HTML: one self-contained page with a MathML formula per derivation", () => {
  for (const c of cases) {
    test(c.name, () => {
      const html = render(c.name, "html");
      expect(html.startsWith("<!doctype html>")).toBe(true);
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<link/i);
      expect(html).not.toMatch(/<(?:img|iframe|object|embed|video|audio|source)\b/i);
      expect(html).not.toMatch(/@import/i);
      // Any src= or href= would name something outside the page; only in-page anchors and data: URLs are allowed.
      const references = [...html.matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]*)/gi)].map((m) => m[1]!);
      expect(references.filter((r) => !r.startsWith("#") && !r.startsWith("data:"))).toEqual([]);
      expect([...html.matchAll(/url\(\s*["']?([^"')]*)/gi)].map((m) => m[1]!).filter((r) => !r.startsWith("data:"))).toEqual([]);
      // The only URLs are XML namespaces (xmlns="http://www.w3.org/1998/Math/MathML"), which are names, not fetched.
      expect(html.replace(/\bxmlns="[^"]*"/g, "")).not.toMatch(/https?:\/\//i);

      const derivations = html.split('<div class="derivation">').slice(1);
      expect(derivations).toHaveLength(derivationCount(c.name));
      expect(derivations.length).toBeGreaterThan(0);
      for (const d of derivations) expect(d.slice(0, d.indexOf("</div>"))).toMatch(/<math[\s>][^]*<\/math>/);
      expect((html.match(/<math[\s>]/g) ?? []).length).toBeGreaterThanOrEqual(derivations.length);
      // KaTeX's error rendering must not appear (throwOnError would have thrown, but a colour-only fallback would not).
      expect(html).not.toMatch(/katex-error|ParseError/);
    });
  }
});

/** The math of a Markdown document: `$$` lines open and close display blocks; `$…$` are inline. */
function markdownMath(markdown: string): { display: string[]; inline: string[]; problems: string[] } {
  const display: string[] = [];
  const inline: string[] = [];
  const problems: string[] = [];
  let block: string[] | undefined;
  let opened = 0;
  markdown.split("\n").forEach((line, i) => {
    if (line.trim() === "$$") {
      if (block) {
        display.push(block.join("\n"));
        block = undefined;
      } else {
        block = [];
        opened = i + 1;
      }
      return;
    }
    if (block) {
      if (line.includes("$")) problems.push(`line ${i + 1}: a $ inside a $$ block`);
      block.push(line);
      return;
    }
    if (line.includes("$$")) problems.push(`line ${i + 1}: $$ inside a line of text`);
    const pieces = line.split(/(?<!\\)\$/);
    if (pieces.length % 2 === 0) problems.push(`line ${i + 1}: an odd number of $`);
    for (let k = 1; k < pieces.length; k += 2) {
      if (pieces[k]!.trim() === "") problems.push(`line ${i + 1}: empty inline math`);
      inline.push(pieces[k]!);
    }
  });
  if (block) problems.push(`line ${opened}: a $$ block is never closed`);
  return { display, inline, problems };
}

describe("Markdown: balanced $$ blocks, every formula parses with KaTeX", () => {
  test("the reader finds unbalanced math", () => {
    expect(markdownMath("a $x$ b\n\n$$\ny\n$$\n").problems).toEqual([]);
    expect(markdownMath("$$\ny\n").problems).toHaveLength(1);
    expect(markdownMath("a $x b\n").problems).toHaveLength(1);
    expect(markdownMath("a $$x$$ b\n").problems).toContain("line 1: $$ inside a line of text");
  });

  for (const c of cases) {
    test(c.name, () => {
      const { display, inline, problems } = markdownMath(render(c.name, "markdown"));
      expect(problems).toEqual([]);
      expect(display).toHaveLength(displayCount(c.name));
      expect(derivationCount(c.name)).toBeGreaterThan(0);
      expect(inline.length).toBeGreaterThan(0);
      const failures = [...display.map((tex) => [tex, true] as const), ...inline.map((tex) => [tex, false] as const)].flatMap(([tex, displayMode]) => {
        try {
          katex.renderToString(tex, { throwOnError: true, displayMode });
          return [];
        } catch (error) {
          return [`${tex}: ${String(error)}`];
        }
      });
      expect(failures).toEqual([]);
    });
  }
});

describe("CLI: gradstep solve prints what the library renders", () => {
  for (const c of cases) {
    test.each(["markdown", "latex", "html", "csv"] as const)(`${c.name} --format %s`, (format) => {
      const run = gradstep(["solve", "--example", c.name, "--format", format]);
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(render(c.name, format));
    });
  }

  test("text to a pipe is the plain 100-column report; json is the trace and a newline", () => {
    const name = cases[0]!.name;
    const text = gradstep(["solve", "--example", name]);
    expect(text.status).toBe(0);
    expect(text.stdout).toBe(render(name, "text"));
    const json = gradstep(["solve", "--example", name, "--format", "json"]);
    expect(json.status).toBe(0);
    expect(json.stdout).toBe(`${render(name, "json")}\n`);
  });

  const name = "seed-001-sigmoid-batch2-shared-bias";

  test("--format xlsx --output FILE writes a workbook (a zip file)", () => {
    const file = join(dir, "solution.xlsx");
    const run = gradstep(["solve", "--example", name, "--format", "xlsx", "--output", file]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("");
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(100);
    expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
  });

  test("--format xlsx without --output writes the workbook to standard output when it is not a terminal", () => {
    const run = spawnSync(process.execPath, [CLI, "solve", "--example", name, "--format", "xlsx"], { env: { ...process.env, NO_COLOR: "1" } });
    expect(run.stderr.toString("utf8")).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(100);
    expect(run.stdout.subarray(0, 2).toString("latin1")).toBe("PK");
  });

  test.each(["markdown", "xlsx"] as const)("--format %s to a file in a folder that does not exist exits 2 and leaves nothing", (format) => {
    const parent = mkdtempSync(join(dir, "unwritable-"));
    const file = join(parent, "missing", `solution.${format === "xlsx" ? "xlsx" : "md"}`);
    const run = gradstep(["solve", "--example", name, "--format", format, "--output", file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("cannot write the output");
    expect(run.stdout).toBe("");
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  });

  // The output goes to a temporary file beside FILE and is renamed onto it; a failed rename removes it.
  test("--output naming an existing folder exits 2 and leaves no temporary file", () => {
    const parent = mkdtempSync(join(dir, "folder-"));
    mkdirSync(join(parent, "solution.md"));
    const run = gradstep(["solve", "--example", name, "--format", "markdown", "--output", join(parent, "solution.md")]);
    expect(run.status).toBe(2);
    expect(readdirSync(parent)).toEqual(["solution.md"]);
  });
});
