import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");

function block(language: string, after: string): string {
  const start = readme.indexOf(after);
  const match = new RegExp("```" + language + "\\n([\\s\\S]*?)```").exec(readme.slice(start));
  if (start < 0 || !match) throw new Error(`no ${language} block after "${after}" in README.md`);
  return match[1]!;
}

test("the quick start is exactly two commands: the main job on a built-in example, and all tests", () => {
  const commands = block("sh", "## Quick start").trim().split("\n");
  expect(commands).toEqual([
    expect.stringMatching(/^npm install && npm run build && npx gradstep solve --example seed-003-relu-1-2-2-1-two-steps$/),
    "npm install && npm test",
  ]);
});

test("the README's library example prints what the README says it prints", () => {
  // Inside the package, so that `import "gradstep"` resolves to this package itself.
  const dir = mkdtempSync(join(root, ".readme-"));
  try {
    const script = join(dir, "example.mjs");
    writeFileSync(script, block("js", "## Numbers you can check by hand"));
    const run = spawnSync(process.execPath, [script], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe(block("text", "prints"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
