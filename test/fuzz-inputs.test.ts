import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { typedBackend } from "../src/engine/backend.js";
import { checkClaims } from "../src/check/check.js";
import { readClaims } from "../src/check/claims.js";
import { buildSolution } from "../src/explain/solution.js";
import { decodeModel, encodeModel } from "../src/io/gradstep-format.js";
import { modelOfProblem } from "../src/io/model.js";
import { loadExample } from "../src/problem/examples.js";
import { InputError } from "../src/input-error.js";
import { solutionLimitIssue } from "../src/problem/limits.js";
import { parseProblem, parseProblemDocument } from "../src/problem/parse.js";
import { problemFile } from "../src/problem/to-file.js";
import { renderCsv } from "../src/render/csv.js";
import { renderLatex } from "../src/render/latex.js";
import { renderMarkdown } from "../src/render/markdown.js";
import { renderSolutionText } from "../src/render/solution-text.js";
import { NumericError } from "../src/solve/numeric-error.js";
import { solve } from "../src/solve/solve.js";
import { loadCheckpoint, saveCheckpoint } from "../src/train/checkpoint.js";
import { startTraining, type TrainSettings } from "../src/train/trainer.js";
import { temporaryFolder } from "./io/fixtures.js";

/**
 * Fuzzing every file gradstep reads (problem files in JSON and YAML, claims,
 * checkpoints, model headers) in-process, with a fixed seed and a small
 * budget: each input ends as the CLI would end it, with success, an input
 * error (exit 2) or a numeric error (exit 3), a one-line message, and soon.
 */

/** Fixed for `npm test`; FUZZ_SEED and FUZZ_RUNS explore further by hand. */
const SEED = Number(process.env.FUZZ_SEED ?? 19);
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
/** Solving and rendering costs more per input than reading. */
const SOLVED_RUNS = Math.ceil(RUNS / 2);
/** Per input, on a busy two-core machine. */
const BOUND_MS = 3000;

/** What the CLI's exit code would be; anything but an InputError or NumericError fails the test. */
function exitOf(run: () => unknown): number {
  const started = performance.now();
  let code = 0;
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) code = 2;
    else if (error instanceof NumericError) code = 3;
    else throw error;
    expect((error as Error).message).not.toMatch(/[\r\n]/);
  }
  expect(performance.now() - started).toBeLessThan(BOUND_MS);
  return code;
}

/** Text a careless or hostile hand might put anywhere in a file. */
const SNIPPETS = [
  "[",
  "]",
  "{",
  "}",
  '"',
  ",",
  ":",
  "-",
  "\n",
  "  ",
  "\t",
  "#",
  "&a ",
  "*a",
  "!!binary ",
  "\uFEFF",
  "\u0000",
  "é",
  "\\",
  "1e309",
  "-1e309",
  "NaN",
  "null",
  "true",
  "0",
  "-0",
  "99999999",
  "1000000",
  "0.5",
  '""',
  "[]",
  "{}",
  '"units": 1000000, ',
  '"steps": 100000, ',
  '"\\\\input{/etc/passwd}"',
  '"=HYPERLINK(1)"',
  '"\\\\write18{x}"',
  '"notation": {"loss": "\\\\foo"}, ',
  '"title": "# <b>\\n|x|", ',
];

type Edit = { at: number; remove: number; insert: string };
const edits = fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 8 }), insert: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 6 })) }), {
  minLength: 1,
  maxLength: 6,
});

function applyEdits(text: string, changes: readonly Edit[]): string {
  return changes.reduce((t, { at, remove, insert }) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + insert + t.slice(i + remove);
  }, text);
}

/** Everything a problem that parses goes through in the CLI: solve, then every text format within the limits. */
function solveAndRender(text: string, file: string): void {
  const { problem, document } = parseProblemDocument(text, { file });
  const trace = solve(problem);
  renderCsv(problem, trace);
  if (solutionLimitIssue(problem) === undefined) {
    const solution = buildSolution(problem, trace);
    renderSolutionText(solution);
    renderMarkdown(solution);
    renderLatex(solution);
  }
  checkClaims(problem, trace, readClaims(document, file));
}

const examples = ["seed-001-sigmoid-batch2-shared-bias", "seed-003-relu-1-2-2-1-two-steps", "seed-004-relu-input-gradient"];
const cases = examples.map((name) => JSON.parse(readFileSync(join(import.meta.dirname, "..", "examples", `${name}.json`), "utf8")) as Record<string, unknown>);

describe("fuzzing the files gradstep reads: exit 0, 2 or 3 with one line, in bounded time", () => {
  test("problem files in JSON and YAML, edited at random", () => {
    const sources = cases.flatMap((c) => [
      { text: JSON.stringify(c, null, 2), file: "p.json" },
      { text: stringify(c), file: "p.yaml" },
    ]);
    fc.assert(
      fc.property(fc.nat({ max: sources.length - 1 }), edits, (k, changes) => {
        const { text, file } = sources[k]!;
        expect([0, 2, 3]).toContain(exitOf(() => solveAndRender(applyEdits(text, changes), file)));
      }),
      { seed: SEED, numRuns: SOLVED_RUNS },
    );
  });

  test("problem files with any JSON value at any place", () => {
    const paths = (value: unknown, path: (string | number)[] = []): (string | number)[][] =>
      typeof value === "object" && value !== null
        ? [path, ...Object.entries(value).flatMap(([key, v]) => paths(v, [...path, Array.isArray(value) ? Number(key) : key]))]
        : [path];
    fc.assert(
      fc.property(fc.nat({ max: cases.length - 1 }), fc.nat(), fc.jsonValue({ maxDepth: 3 }), (k, at, value) => {
        const document = structuredClone(cases[k]!);
        const all = paths(document).filter((p) => p.length > 0);
        const path = all[at % all.length]!;
        type Node = Record<string | number, unknown>;
        const parent = path.slice(0, -1).reduce<Node>((node, key) => node[key] as Node, document);
        parent[path.at(-1)!] = value;
        expect([0, 2, 3]).toContain(exitOf(() => solveAndRender(JSON.stringify(document), "p.json")));
      }),
      { seed: SEED, numRuns: SOLVED_RUNS },
    );
  });

  test("claims lists of anything", () => {
    const problem = loadExample("seed-000-relu-2-2-1");
    const trace = solve(problem);
    const claim = fc.record(
      {
        path: fc.oneof(fc.constantFrom("final.loss", "steps[0].forward[0].a[0][0]", "steps[9].x", ""), fc.string()),
        value: fc.oneof(fc.double(), fc.constant(0.5)),
        printed: fc.oneof(fc.constant(`0.${"1".repeat(101)}`), fc.stringMatching(/^-?\d{1,3}(\.\d{0,30})?$/), fc.string()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.array(claim, { maxLength: 4 }), fc.jsonValue({ maxDepth: 3 })), (claims) => {
        expect([0, 2]).toContain(exitOf(() => checkClaims(problem, trace, readClaims({ claims }, "claims.json"))));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test("model files: the header edited at random, and the weights file's bytes", () => {
    const model = modelOfProblem(loadExample("seed-003-relu-1-2-2-1-two-steps"));
    const inline = encodeModel(model).json;
    const beside = encodeModel(model, "w.safetensors");
    fc.assert(
      fc.property(edits, fc.array(fc.record({ at: fc.nat(), byte: fc.nat({ max: 255 }) }), { maxLength: 6 }), fc.nat(), (changes, flips, cut) => {
        expect([0, 2]).toContain(exitOf(() => decodeModel(applyEdits(inline, changes), "m.json", () => ({ bytes: new Uint8Array(), path: "none" }))));
        const bytes = beside.weights!.slice(0, beside.weights!.length - (cut % 3 === 0 ? cut % 40 : 0));
        for (const { at, byte } of flips) bytes[at % bytes.length] = byte;
        expect([0, 2]).toContain(exitOf(() => decodeModel(applyEdits(beside.json, changes.slice(0, 1)), "m.json", () => ({ bytes, path: "w.safetensors" }))));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test("checkpoints with bytes changed or cut", () => {
    const settings: TrainSettings = { epochs: 3, batchSize: 4, learningRate: 0.01, schedule: { name: "constant" }, optimizer: { name: "momentum" }, seed: 1 };
    const spec = {
      inputs: 2,
      layers: [
        {
          units: 2,
          activation: "softmax" as const,
          weights: [
            [0.1, 0.2],
            [0.3, 0.4],
          ],
          bias: { mode: "perNeuron" as const, values: [0, 0] },
        },
      ],
    };
    const backend = typedBackend("float32");
    const dir = temporaryFolder();
    const good = join(dir, "good.safetensors");
    const state = startTraining(spec, backend, settings.optimizer);
    state.optimizer.restore({ steps: 2, buffers: state.optimizer.state().buffers });
    const metrics = { epoch: 1, learningRate: 0.01, trainLoss: 1, trainAccuracy: 0.5, testLoss: 1, testAccuracy: 0.5, seconds: 1, samplesPerSecond: 10 };
    saveCheckpoint(good, { ...state, epoch: 1, history: [metrics] }, settings, "run");
    const original = readFileSync(good);
    let k = 0;
    fc.assert(
      fc.property(fc.array(fc.record({ at: fc.nat(), byte: fc.nat({ max: 255 }) }), { minLength: 1, maxLength: 8 }), fc.nat({ max: 60 }), (flips, cut) => {
        const bytes = Uint8Array.from(original.subarray(0, original.length - (cut > 50 ? cut : 0)));
        for (const { at, byte } of flips) bytes[at % bytes.length] = byte;
        // A fresh name each time: a file this process wrote may be written again, but a changed one is a new input.
        const file = join(dir, `changed-${k++}.safetensors`);
        writeFileSync(file, bytes);
        expect([0, 2]).toContain(exitOf(() => loadCheckpoint(file, spec, backend, settings, "run")));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test("any title stays one Markdown heading line", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (title) => {
        const problem = parseProblem({ ...problemFile(loadExample("seed-000-relu-2-2-1")), title });
        const [heading, after] = renderMarkdown(buildSolution(problem, solve(problem))).split("\n");
        expect(heading).toMatch(/^# /);
        expect(after).toBe("");
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});
