import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { latexEngine } from "../src/render/latex.js";

/** A LaTeX document compiled in `work` by the engine it names: its exit status, the first error, whether a PDF came out, and the log. */
export function compileLatex(tex: string, work: string): { status: number | null; error: string; pdf: boolean; engine: string; log: string } {
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, "solution.tex"), tex);
  const engine = latexEngine(tex);
  const run = spawnSync(engine, ["-interaction=nonstopmode", "-halt-on-error", "solution.tex"], { cwd: work, encoding: "utf8", timeout: 120_000 });
  if (run.error) throw new Error(`${engine} did not run (Debian: bash scripts/ensure-test-tools.sh installs it): ${run.error.message}`);
  const log = existsSync(join(work, "solution.log")) ? readFileSync(join(work, "solution.log"), "utf8") : run.stdout;
  const lines = log.split("\n");
  const first = lines.findIndex((line) => line.startsWith("!"));
  const missing = lines.filter((line) => line.startsWith("Missing character"));
  const pdf = join(work, "solution.pdf");
  return {
    engine,
    log,
    status: missing.length > 0 ? -1 : run.status,
    error: missing.length > 0 ? missing.slice(0, 5).join("\n") : first < 0 ? log.slice(-2000) : lines.slice(first, first + 12).join("\n"),
    pdf: existsSync(pdf) && readFileSync(pdf).subarray(0, 5).toString("latin1") === "%PDF-",
  };
}
