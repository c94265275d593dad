import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { say } from "../src/i18n/translate.js";
import { READING } from "../src/cli/io.js";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { typedBackend } from "../src/engine/backend.js";
import { checkWritable, claimOutput, decodeText, fileBeside, readBytes, writeFileSafely } from "../src/io/files.js";
import { readSafeTensors, writeSafeTensors } from "../src/io/safetensors.js";
import { hostAllowed } from "../src/cli/serve.js";
import { LIMITS } from "../src/limits.js";
import { loadExample } from "../src/problem/examples.js";
import { InputError } from "../src/input-error.js";
import { nameIssue } from "../src/problem/notation-names.js";
import { parseProblem } from "../src/problem/parse.js";
import { parseSource } from "../src/problem/source.js";
import { problemFile } from "../src/problem/to-file.js";
import { csvField } from "../src/render/csv.js";
import { escapeLatex } from "../src/render/latex.js";
import { escapeMarkdown } from "../src/render/markdown.js";
import { safeLatex } from "../src/explain/name-writing.js";
import { formatNumber } from "../src/number-format.js";
import { loadCheckpoint, saveCheckpoint } from "../src/train/checkpoint.js";
import { startTraining, type TrainSettings } from "../src/train/trainer.js";
import { gradstep } from "./cli.js";
import { inputError } from "./data/input-error.js";
import { temporaryFolder } from "./io/fixtures.js";

/** What the files are, as the library names them in its errors. */
const PROBLEM_FILE = READING.problemFile.say;
const WEIGHTS_FILE = say("modelError.what.weightsFile");

/**
 * Hostile and careless input (issue 19): every one ends in an input error
 * with a one-line message, within the stated limits, and no write destroys
 * a file the user did not ask to replace.
 */

const example = () => structuredClone(problemFile(loadExample("seed-000-relu-2-2-1"))) as Record<string, any>;

function oneLine(error: InputError): string {
  expect(error.message).not.toMatch(/\n/);
  return error.message;
}

describe("writes never destroy a user's file", () => {
  test("an input of the process is never written over, however it is named", () => {
    const dir = temporaryFolder();
    const input = join(dir, "problem.json");
    writeFileSync(input, "{}");
    readBytes(input, PROBLEM_FILE);
    symlinkSync(input, join(dir, "alias.json"));
    for (const name of [input, join(dir, ".", "problem.json"), join(dir, "alias.json")]) {
      expect(oneLine(inputError(() => writeFileSafely(name, "x", { force: true })))).toMatch(/over an input of this command/);
    }
    expect(readFileSync(input, "utf8")).toBe("{}");
  });

  test("an existing non-empty file is replaced only with force; an empty one or one written in this run freely", () => {
    const dir = temporaryFolder();
    const file = join(dir, "out.txt");
    writeFileSync(file, "the user's work");
    expect(oneLine(inputError(() => writeFileSafely(file, "new")))).toMatch(/pass --force to replace it/);
    expect(readFileSync(file, "utf8")).toBe("the user's work");
    writeFileSafely(file, "new", { force: true });
    writeFileSafely(file, "again");
    expect(readFileSync(file, "utf8")).toBe("again");
    const empty = join(dir, "empty.txt");
    writeFileSync(empty, "");
    writeFileSafely(empty, "filled");
    expect(readFileSync(empty, "utf8")).toBe("filled");
    const claimed = join(dir, "claimed.txt");
    writeFileSync(claimed, "old run");
    expect(() => claimOutput(claimed)).toThrow(InputError);
    claimOutput(claimed, { force: true });
    writeFileSafely(claimed, "this run");
    expect(() => checkWritable(join(dir))).toThrow(/a directory has that name/);
  });

  test("a symlink keeps pointing at its target, and the target keeps its mode", () => {
    const dir = temporaryFolder();
    const target = join(dir, "target.csv"),
      link = join(dir, "link.csv");
    writeFileSync(target, "old");
    chmodSync(target, 0o640);
    symlinkSync(target, link);
    writeFileSafely(link, "new", { force: true });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, "utf8")).toBe("new");
    expect(statSync(target).mode & 0o777).toBe(0o640);
    const dangling = join(dir, "dangling.csv");
    symlinkSync("created.csv", dangling);
    writeFileSafely(dangling, "made");
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "created.csv"), "utf8")).toBe("made");
  });

  test("a device is written into, never replaced by a regular file", () => {
    writeFileSafely("/dev/null", "discarded");
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  test("temporary files of a process that was killed are removed by the next write", () => {
    const dir = temporaryFolder();
    const stale = join(dir, ".out.json.999999999.tmp"),
      other = join(dir, ".else.json.999999999.tmp");
    writeFileSync(stale, "half");
    writeFileSync(other, "half");
    writeFileSafely(join(dir, "out.json"), "{}");
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(other)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith(".out.json"))).toEqual([]);
  });
});

describe("reads stop at a stated size and stay where they were asked", () => {
  test("a device that never ends is read only up to the limit", () => {
    const started = Date.now();
    expect(oneLine(inputError(() => readBytes("/dev/zero", PROBLEM_FILE, 1 << 20)))).toMatch(/larger than the 1 MiB gradstep reads/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("UTF-16 and binary text are named; a UTF-8 byte order mark is dropped", () => {
    expect(oneLine(inputError(() => decodeText(new Uint8Array([0xff, 0xfe, 0x7b, 0x00]), PROBLEM_FILE)))).toMatch(/UTF-16/);
    expect(oneLine(inputError(() => decodeText(new Uint8Array([0x7b, 0x00, 0x7d]), PROBLEM_FILE)))).toMatch(/binary file/);
    expect(oneLine(inputError(() => decodeText(new Uint8Array([0x7b, 0xc3, 0x28]), PROBLEM_FILE)))).toMatch(/not UTF-8/);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(JSON.stringify(example()))]);
    expect(parseProblem(decodeText(bom, PROBLEM_FILE), { file: "bom.json" }).network.inputs).toBe(2);
    expect(parseProblem(`\uFEFF${JSON.stringify(example())}`, { file: "bom.json" }).network.inputs).toBe(2);
  });

  test("a model names files inside its own folder only, regular files only", () => {
    const dir = temporaryFolder();
    const model = join(dir, "model.json");
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "w.safetensors"), "x");
    symlinkSync("/etc/hostname", join(dir, "out.safetensors"));
    expect(fileBeside(model, "sub/w.safetensors", WEIGHTS_FILE)).toBe(join(dir, "sub", "w.safetensors"));
    const refused = (name: string) => oneLine(inputError(() => fileBeside(model, name, WEIGHTS_FILE)));
    expect(refused("/etc/passwd")).toMatch(/an absolute path/);
    expect(refused("../../etc/passwd")).toMatch(/leads out of it/);
    expect(refused("out.safetensors")).toMatch(/a link that leads out/);
    expect(refused("sub")).toMatch(/not a regular file/);
  });

  test("a safetensors error never shows the first bytes of a foreign file", () => {
    const passwd = new TextEncoder().encode("root:x:0:0:root:/root:/bin/bash\n");
    const message = oneLine(inputError(() => readSafeTensors(passwd, "passwd")));
    const leaked = new DataView(passwd.buffer).getBigUint64(0, true).toString();
    expect(message).not.toContain(leaked);
  });
});

describe("parsing: nesting, aliases and encodings", () => {
  test("JSON and YAML nested thousands deep are input errors, not stack overflows", () => {
    for (const [text, format] of [
      ["[".repeat(20000) + "]".repeat(20000), "json"],
      [`a: ${"[".repeat(20000)}${"]".repeat(20000)}`, "yaml"],
      [`{"claims": ${"[".repeat(5000)}${"]".repeat(5000)}}`, "json"],
      [Array.from({ length: 1000 }, (_, i) => `${" ".repeat(i)}a:`).join("\n") + " 1", "yaml"],
    ] as const) {
      expect(oneLine(inputError(() => parseSource(text, format)))).toMatch(new RegExp(`nested more than ${LIMITS.nesting} deep`));
    }
  });

  test("a YAML alias bomb is refused", () => {
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n";
    for (let i = 0; i < 8; i++)
      bomb += `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [${Array(9)
        .fill(`*${i === 0 ? "a" : "bcdefghi"[i - 1]}`)
        .join(", ")}]\n`;
    expect(oneLine(inputError(() => parseSource(bomb, "yaml")))).toMatch(/aliases/);
  });

  test("YAML past its size limit is refused before it is read", () => {
    expect(oneLine(inputError(() => parseSource(`a: "${"x".repeat(LIMITS.yamlBytes)}"`, "yaml")))).toMatch(/write a larger exercise as JSON/);
  });
});

describe("exercise limits, checked before any matrix is built", () => {
  const refused = (change: (file: Record<string, any>) => void) => {
    const file = example();
    change(file);
    const started = Date.now();
    const message = oneLine(inputError(() => parseProblem(file)));
    expect(Date.now() - started).toBeLessThan(5000);
    return message;
  };

  test("a layer of a million units, or of a million times a million weights", () => {
    expect(refused((f) => (f.network.layers[0] = { units: 1_000_000, activation: "relu", weights: 1, bias: 0 }))).toMatch(
      /weights and biases; gradstep solves exercises of at most 1,000,000/,
    );
    expect(refused((f) => ((f.network.inputs = 1_000_000), (f.network.layers[0] = { units: 1_000_000, activation: "relu", weights: 1, bias: 0 })))).toMatch(
      /1,000,002,000,001 weights/,
    );
  });

  test("a hundred thousand layers, a million samples, the schema's largest step count", () => {
    expect(refused((f) => (f.network.layers = Array.from({ length: 100_000 }, () => ({ units: 1, activation: "relu", weights: 1, bias: 0 }))))).toMatch(
      /100,000 layers/,
    );
    expect(
      refused((f) => ((f.data.inputs = Array.from({ length: 1_000_000 }, () => [1, 2])), (f.data.targets = Array.from({ length: 1_000_000 }, () => [1])))),
    ).toMatch(/1,000,000 samples/);
    expect(refused((f) => (f.training.steps = 100_000))).toMatch(/the trace would hold .* numbers, more than the 3,000,000/);
  });
});

describe("notation names are a safe part of LaTeX", () => {
  test("macros that read files, write files or run commands are refused when the problem is read", () => {
    for (const name of [
      "\\input{/etc/passwd}",
      "\\write18{rm -rf ~}",
      "\\include{x}",
      "\\foo",
      "$x$",
      "x%",
      "x_{1",
      "x}",
      "a^",
      "<b>",
      '=HYPERLINK("http://x")',
    ]) {
      expect(nameIssue(name), name).toBeDefined();
      const message = oneLine(inputError(() => parseProblem({ ...example(), notation: { loss: name } })));
      expect(message).toMatch(/^notation\.loss: the name/);
    }
  });

  test("the names textbooks use are accepted", () => {
    for (const name of ["w1", "net_h1", "w_{11}^{(1)}", "\\theta_{1,1}^{(2)}", "\\hat{y}", "ŷ", "η", "f(s1)", "w_{1,1_grad}^{(1)}", "E_{total}", "a'"]) {
      expect(nameIssue(name), name).toBeUndefined();
    }
  });

  test("LaTeX from a name made in code keeps only the allowed commands", () => {
    expect(safeLatex("\\theta_{1}")).toBe("\\theta_{1}");
    expect(safeLatex("\\input{/etc/passwd}")).not.toMatch(/\\input/);
    expect(safeLatex("\\write18{x}")).not.toMatch(/\\write/);
    expect(safeLatex("50%$")).toBe("50\\%\\$");
  });
});

describe("escaping per format", () => {
  test("CSV cells that would start a formula are prefixed; numbers are not", () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvField("@SUM(1)")).toBe("'@SUM(1)");
    expect(csvField("+1+1")).toBe("'+1+1");
    expect(csvField("-1+1")).toBe("'-1+1");
    expect(csvField("\t=1")).toBe("'\t=1");
    for (const number of ["-0.5", "+3", "-1e-7", "-Infinity", "12"]) expect(csvField(number)).toBe(number);
  });

  test("Markdown shows a title literally, on one line", () => {
    expect(escapeMarkdown("# <script>x</script>\n\n| a | *b*")).toBe("\\# \\<script\\>x\\</script\\> \\| a \\| \\*b\\*");
  });

  test("LaTeX prose from the problem file stays on one line, its specials escaped", () => {
    expect(escapeLatex("# 50% \\input{x}\n\n$y$")).toBe("\\# 50\\% \\textbackslash{}input\\{x\\}  \\$y\\$");
  });

  test("a number printed with more decimals than JavaScript formats", () => {
    expect(formatNumber(0.1, 101)).toBe(formatNumber(0.1, 20));
    expect(formatNumber(1 / 3, 1e9)).toMatch(/^0\.333/);
  });
});

describe("checkpoints are validated on resume", () => {
  const settings: TrainSettings = { epochs: 2, batchSize: 4, learningRate: 0.01, schedule: { name: "cosine" }, optimizer: { name: "adam" }, seed: 1 };
  const spec = {
    inputs: 3,
    layers: [
      {
        units: 2,
        activation: "softmax" as const,
        weights: [
          [0.1, 0.2, 0.3],
          [0.3, 0.2, 0.1],
        ],
        bias: { mode: "perNeuron" as const, values: [0, 0] },
      },
    ],
  };
  const backend = typedBackend("float32");
  const saved = () => {
    const file = join(temporaryFolder(), "run.checkpoint.safetensors");
    const state = startTraining(spec, backend, settings.optimizer);
    state.optimizer.restore({ steps: 3, buffers: state.optimizer.state().buffers });
    const metrics = { epoch: 1, learningRate: 0.01, trainLoss: 1, trainAccuracy: 0.5, testLoss: 1, testAccuracy: 0.5, seconds: 1, samplesPerSecond: 10 };
    saveCheckpoint(file, { ...state, epoch: 1, history: [metrics] }, settings, "run");
    return { file, ...readSafeTensors(readFileSync(file)) };
  };
  const rewrite = (file: string, tensors: Map<string, { shape: number[]; data: Float32Array | Float64Array }>, metadata: Record<string, string>) =>
    writeFileSync(file, writeSafeTensors(tensors, metadata));

  test("a good checkpoint resumes", () => {
    const { file } = saved();
    expect(loadCheckpoint(file, spec, backend, settings, "run").epoch).toBe(1);
  });

  test("every corrupt or inconsistent record is an input error naming what is wrong", () => {
    const cases: [string, (record: Record<string, any>) => unknown, RegExp][] = [
      ["bad JSON", () => "{not json", /not JSON/],
      ["null", () => "null", /not an object/],
      ["no settings", (r) => ({ ...r, settings: undefined }), /no valid settings/],
      ["epoch 999", (r) => ({ ...r, epoch: 999 }), /epoch 999/],
      ["epoch -5", (r) => ({ ...r, epoch: -5 }), /epoch -5/],
      ["no history", (r) => ({ ...r, history: [] }), /no history/],
      ["a NaN metric", (r) => ({ ...r, history: [{ ...r.history[0], testLoss: null }] }), /history entry 1/],
    ];
    for (const [what, change, message] of cases) {
      const { file, tensors, metadata } = saved();
      const record = JSON.parse(metadata["gradstep-checkpoint"]!) as Record<string, unknown>;
      const changed = change(record);
      rewrite(file, new Map(tensors as never), { "gradstep-checkpoint": typeof changed === "string" ? changed : JSON.stringify(changed) });
      expect(oneLine(inputError(() => loadCheckpoint(file, spec, backend, settings, "run"))), what).toMatch(message);
    }
  });

  test("a missing, misshapen or non-finite tensor, and another --epochs under cosine, are refused", () => {
    type Tensors = Map<string, { shape: number[]; data: Float32Array | Float64Array }>;
    const tensorCases: [string, (t: Tensors) => void, RegExp][] = [
      ["missing bias", (t) => t.delete("layers.0.bias"), /layers\.0\.bias of shape \[2\], found none/],
      ["missing buffer", (t) => t.delete("optimizer.001"), /optimizer\.001/],
      ["wrong shape", (t) => t.set("layers.0.weight", { shape: [3, 2], data: new Float32Array(6) }), /shape \[2, 3\], found \[3, 2\]/],
      ["NaN weight", (t) => t.set("layers.0.weight", { shape: [2, 3], data: Float32Array.of(0, NaN, 0, 0, 0, 0) }), /holds NaN at index 1/],
      ["stray tensor", (t) => t.set("extra", { shape: [1], data: new Float32Array(1) }), /found "extra"/],
    ];
    for (const [what, change, message] of tensorCases) {
      const { file, tensors, metadata } = saved();
      const changed: Tensors = new Map(tensors as never);
      change(changed);
      rewrite(file, changed, { ...metadata });
      expect(oneLine(inputError(() => loadCheckpoint(file, spec, backend, settings, "run"))), what).toMatch(message);
    }
    const { file } = saved();
    expect(oneLine(inputError(() => loadCheckpoint(file, spec, backend, { ...settings, epochs: 5 }, "run")))).toMatch(/epochs: expected 2 .* cosine/);
  });
});

describe("serve answers only requests addressed to it", () => {
  test("Host headers naming another name are refused (DNS rebinding)", () => {
    const loopback = hostAllowed("127.0.0.1");
    for (const host of ["127.0.0.1:5173", "localhost:5173", "localhost", "[::1]:80"]) expect(loopback(host), host).toBe(true);
    for (const host of ["evil.example:5173", "127.0.0.1.evil.example", "", undefined]) expect(loopback(host), String(host)).toBe(false);
    expect(hostAllowed("0.0.0.0")(`${hostname()}:8080`)).toBe(true);
    expect(hostAllowed("0.0.0.0")("attacker.example")).toBe(false);
  });
});

describe("the CLI: exit 2 with one line, and the user's files intact", () => {
  test("solve never writes over its input, nor over an existing file without --force", () => {
    const dir = temporaryFolder();
    const input = join(dir, "self.json");
    const text = JSON.stringify(example());
    writeFileSync(input, text);
    const self = gradstep(["solve", input, "--format", "json", "-o", input]);
    expect(self.status).toBe(2);
    expect(self.stderr.trim().split("\n")).toHaveLength(1);
    expect(readFileSync(input, "utf8")).toBe(text);
    const out = join(dir, "out.txt");
    writeFileSync(out, "mine");
    expect(gradstep(["solve", input, "-o", out]).status).toBe(2);
    expect(readFileSync(out, "utf8")).toBe("mine");
    expect(gradstep(["solve", input, "-o", out, "--force"]).status).toBe(0);
  });

  test("solve /dev/zero, a notation macro in HTML, train --hidden 100000000: exit 2, one line", () => {
    const dir = temporaryFolder();
    const macro = join(dir, "macro.json");
    writeFileSync(macro, JSON.stringify({ ...example(), notation: { loss: "\\foo" } }));
    for (const args of [
      ["solve", "/dev/zero"],
      ["solve", macro, "--format", "html"],
      ["train", "--hidden", "100000000", "--out", join(dir, "m.json")],
    ]) {
      const run = gradstep(args);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr.trim().split("\n")[0]).toMatch(/^gradstep: /);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
