import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { colorWanted } from "../src/cli/output.js";
import { readExample } from "../src/problem/examples.js";
import { CLI } from "./cli.js";

/** The CLI with the environment and standard input a test chooses (NO_COLOR unset unless given). */
function run(args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const { NO_COLOR: _noColor, FORCE_COLOR: _forceColor, ...inherited } = process.env;
  const env = { ...inherited, ...options.env };
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env, input: options.input ?? "" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const EXAMPLE = "seed-003-relu-1-2-2-1-two-steps";
const ESC = "\u001b[";

describe("standard input as -", () => {
  const text = JSON.stringify(readExample(EXAMPLE).file);

  test("solve - reads the problem from standard input", () => {
    const piped = run(["solve", "-", "--format", "json"], { input: text });
    expect(piped.status).toBe(0);
    expect(piped.stdout).toBe(run(["solve", "--example", EXAMPLE, "--format", "json"]).stdout);
  });

  test("check - and explain - read it too", () => {
    const checked = run(["check", "-", "--format", "json"], { input: text });
    expect([0, 1]).toContain(checked.status);
    expect((JSON.parse(checked.stdout) as { claims: unknown[] }).claims.length).toBeGreaterThan(0);
    const explained = run(["explain", "-", "steps[0].loss", "--format", "json"], { input: text });
    expect(explained.status).toBe(0);
    expect(JSON.parse(explained.stdout)).toMatchObject({ path: "steps[0].loss", value: 6.125 });
  });

  test("errors name <stdin>, with line and column", () => {
    const bad = run(["solve", "-"], { input: '{"network": 1}' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^gradstep: <stdin>:1:\d+: network: expected an object, found 1\n$/);
  });
});

describe("--format json on every command with machine output", () => {
  test("examples, with --json kept as its alias", () => {
    const listed = JSON.parse(run(["examples", "--format", "json"]).stdout) as { name: string }[];
    expect(listed.map((e) => e.name)).toContain(EXAMPLE);
    expect(run(["examples", "--json"]).stdout).toBe(run(["examples", "--format", "json"]).stdout);
  });

  test("explain gives the quantity, its path, exact value and each line of its derivation", () => {
    const record = JSON.parse(run(["explain", "--example", "seed-004-sigmoid-3-2-2-shared-bias", "dE/dw7", "--format", "json"]).stdout) as {
      name: string;
      path: string;
      value: number;
      relation: string;
      text: string[];
      latex: { lhs: string; rhs: string[] };
    };
    expect(record.name).toBe("∂E/∂w₇");
    expect(record.path).toBe("steps[0].backward[1].weights[0][0]");
    expect(record.value).toBeCloseTo(0.0765, 4);
    expect(record.text.at(-1)).toBe("0.0765");
    expect(record.latex.lhs).toMatch(/\\partial/);
  });

  test("an unknown format is a usage error", () => {
    const bad = run(["examples", "--format", "yaml"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^gradstep: option '-f, --format <FORMAT>' argument 'yaml' is invalid/);
  });
});

describe("messages, version and exit codes", () => {
  test("--version is the package's", () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(run(["--version"]).stdout.trim()).toBe(version);
  });

  test("a usage error has the one prefix, then the command's --help line, and exit code 2", () => {
    const unknown = run(["solve", "--bogus"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe("gradstep: unknown option '--bogus'\n(run gradstep solve --help for usage)\n");
    const command = run(["solvee"]);
    expect(command.status).toBe(2);
    expect(command.stderr).toMatch(/^gradstep: unknown command 'solvee'\n\(Did you mean solve\?\)\n\(run gradstep --help for usage\)\n$/);
  });

  test("--help lists the exit codes", () => {
    expect(run(["--help"]).stdout).toMatch(/Exit codes[\s\S]*1 +check: a hand value disagrees[\s\S]*3 +the computation failed/);
  });
});

describe("colour", () => {
  test("FORCE_COLOR colours a pipe; --no-color and NO_COLOR win over it", () => {
    const solveArgs = ["solve", "--example", EXAMPLE];
    expect(run(solveArgs).stdout).not.toContain(ESC);
    expect(run(solveArgs, { env: { FORCE_COLOR: "1" } }).stdout).toContain(ESC);
    expect(run([...solveArgs, "--no-color"], { env: { FORCE_COLOR: "1" } }).stdout).not.toContain(ESC);
    expect(run(["--no-color", ...solveArgs], { env: { FORCE_COLOR: "1" } }).stdout).not.toContain(ESC);
    expect(run(solveArgs, { env: { FORCE_COLOR: "1", NO_COLOR: "1" } }).stdout).not.toContain(ESC);
  });

  test("the rule, for a terminal and a pipe", () => {
    expect(colorWanted(true, {})).toBe(true);
    expect(colorWanted(false, {})).toBe(false);
    expect(colorWanted(true, { TERM: "dumb" })).toBe(false);
    expect(colorWanted(true, { NO_COLOR: "1" })).toBe(false);
    // An empty NO_COLOR does not count (no-color.org).
    expect(colorWanted(true, { NO_COLOR: "" })).toBe(true);
    expect(colorWanted(false, { FORCE_COLOR: "1" })).toBe(true);
    expect(colorWanted(false, { FORCE_COLOR: "" })).toBe(true);
    expect(colorWanted(true, { FORCE_COLOR: "0" })).toBe(false);
    expect(colorWanted(false, { FORCE_COLOR: "1", TERM: "dumb" })).toBe(true);
  });
});
