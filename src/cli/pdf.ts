import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../input-error.js";
import { latexEngine } from "../render/latex.js";

/** What to install for each engine on Debian, for the message when it is missing. */
const PACKAGES = { pdflatex: "texlive-latex-base", xelatex: "texlive-xetex texlive-lang-cjk texlive-lang-chinese fonts-noto-cjk" } as const;

/**
 * A printable handout: the LaTeX document compiled by the engine it names
 * (pdflatex, or xelatex for CJK text), in a temporary folder, without shell
 * escape. LaTeX rather than a browser's print: the same document the
 * `latex` format writes and the tests compile, page breaks inside long
 * derivations, and TeX Live from the distribution instead of a browser.
 */
export function compilePdf(latex: string): Uint8Array {
  const engine = latexEngine(latex);
  const work = mkdtempSync(join(tmpdir(), "gradstep-pdf-"));
  try {
    writeFileSync(join(work, "solution.tex"), latex);
    const run = spawnSync(engine, ["-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "solution.tex"], {
      cwd: work,
      encoding: "utf8",
      timeout: 300_000,
    });
    if ((run.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
      throw InputError.said((t) => t.text("error.noLatexEngine", { engine, packages: PACKAGES[engine] }), { option: "format pdf" });
    }
    if (run.error) throw run.error;
    if (run.status !== 0) {
      const log = run.stdout.split("\n");
      const first = log.findIndex((line) => line.startsWith("!"));
      throw new Error(`${engine} failed on the worked solution:\n${(first < 0 ? log.slice(-20) : log.slice(first, first + 10)).join("\n")}`);
    }
    return readFileSync(join(work, "solution.pdf"));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
