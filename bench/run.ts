/**
 * npm run bench: W1–W3 for gradstep and its peers in one invocation, each
 * system in a process of its own that prints JSON lines, then a table per
 * workload (or --json lines). Speed is measured only here, never in tests.
 * See bench/README.md.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { FASHION_MNIST_DIR, initialNetwork } from "gradstep";
import { BENCH_DIR, METRICS, MLP, ORDER_SEED, PEERS_DIR, TINY, type Note, type Plan, type Result, type System, type Workload } from "./config.js";
import { DEFAULT_BLAS, OPENBLAS_DIR, PYTHON, ensureFashionMnist, ensureNpmPeers, ensurePyTorch } from "./install.js";
import { USAGE, UsageError, parseOptions, type Options } from "./options.js";
import { jsonLine, renderTables } from "./report.js";
import { writeInitFile } from "./worker.js";

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function makePlan(options: Options, workloads: readonly Workload[], initFile: string): Plan {
  const quick = options.quick;
  return {
    workloads,
    repeat: options.repeat ?? (quick ? 1 : 3),
    quick,
    w1Seconds: quick ? 0.05 : 1,
    // tfjs's per-op machinery keeps speeding up for a second or more; 2 s covers every system's JIT.
    warmupSeconds: quick ? 0.2 : 2,
    trainSamples: quick ? 512 : 60_000,
    warmupSamples: quick ? 128 : 2560,
    testSamples: quick ? 1024 : 10_000,
    w3Passes: quick ? 1 : 3,
    budgetSeconds: options.budget ?? (quick ? 3 : 300),
    initFile,
    dataDir: FASHION_MNIST_DIR,
    orderSeed: ORDER_SEED,
    threads: [1, 2],
    tiny: TINY,
    mlp: MLP,
  };
}

interface Job {
  /** What it measures. */
  readonly workloads: readonly Workload[];
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

const BUILD = join(PEERS_DIR, "build");

/** The processes that measure `system`: gradstep runs W1 once per dtype, each in a process of its own (see gradstep.ts). */
function jobs(system: System, plan: Plan): Job[] {
  const json = JSON.stringify(plan);
  const { workloads } = plan;
  const python = (env?: NodeJS.ProcessEnv): Job => ({
    workloads,
    command: PYTHON,
    args: ["-B", join(BENCH_DIR, "peers", "pytorch.py"), json, system],
    ...(env ? { env } : {}),
  });
  switch (system) {
    case "gradstep": {
      const gradstep = join(BUILD, "gradstep.js");
      const mlp = workloads.filter((w) => w !== "W1");
      const parts: [string, readonly Workload[]][] = [
        ...(workloads.includes("W1") ? (["w1-float32", "w1-float64"] as const).map((part): [string, Workload[]] => [part, ["W1"]]) : []),
        ...(mlp.length > 0 ? [["mlp", mlp] as [string, Workload[]]] : []),
      ];
      return parts.map(([part, measures]) => ({ workloads: measures, command: process.execPath, args: [gradstep, json, part] }));
    }
    case "pytorch":
      return [python()];
    case "pytorch-openblas": {
      const path = [OPENBLAS_DIR, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
      return [python({ ...process.env, LD_LIBRARY_PATH: path })];
    }
    case "tfjs-cpu":
    case "tfjs-wasm":
      return [{ workloads, command: process.execPath, args: [join(BUILD, "peers", "tfjs.js"), json, system === "tfjs-cpu" ? "cpu" : "wasm"] }];
    case "brain.js":
      return [{ workloads, command: process.execPath, args: [join(BUILD, "peers", "brain.js"), json] }];
  }
}

/** Runs one worker; its JSON lines, or why it failed. Other lines (a library's greeting) are ignored. */
function runJob(job: Job, timeoutSeconds: number): { lines: (Result | Note)[]; failure?: string } {
  const run = spawnSync(job.command, job.args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: job.env ?? process.env,
    timeout: timeoutSeconds * 1000,
    maxBuffer: 64 * 2 ** 20,
  });
  const lines = run.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Result | Note);
  if (run.status === 0) return { lines };
  const stderr = run.stderr.trim().split("\n").slice(-8).join("\n    ");
  const why = run.error?.message ?? (run.signal ? `killed by ${run.signal}` : `exit code ${String(run.status)}`);
  return { lines, failure: `${why}${stderr ? `:\n    ${stderr}` : ""}` };
}

/**
 * gradstep's two W1 lines (float32, float64) as one: the better value, both
 * in the details. Where one dtype's process failed, a note says why and the
 * other stands for gradstep.
 */
function mergeGradstepW1(results: readonly Result[]): Result[] {
  const isW1 = (r: Result): boolean => r.system === "gradstep" && r.workload === "W1";
  const parts = results.filter((r) => isW1(r) && r.value !== null);
  if (parts.length === 0) return [...results];
  const byDtype = new Map(parts.map((r) => [r.details?.dtype, r]));
  const best = parts.reduce((a, b) => (b.value! > a.value! ? b : a));
  const merged: Result = {
    ...best,
    details: {
      backend: "typedBackend, createWorkspace, sgdStep",
      best: best.details?.dtype,
      float32: byDtype.get("float32")?.value,
      float64: byDtype.get("float64")?.value,
      handWrittenFloat64: byDtype.get("float64")?.details?.handWrittenFloat64,
    },
  };
  const first = results.find(isW1);
  return results.flatMap((r) => (r === first ? [merged] : isW1(r) ? [] : [r]));
}

/** Whether the two PyTorch runs loaded different BLAS libraries, said plainly. */
function blasNote(results: readonly Result[]): string | undefined {
  const blasOf = (system: System): string[] | undefined =>
    results.find((r) => r.system === system && Array.isArray(r.details?.blas))?.details?.blas as string[] | undefined;
  const plain = blasOf("pytorch"),
    openblas = blasOf("pytorch-openblas");
  let defaultBlas = "unknown";
  try {
    defaultBlas = realpathSync(DEFAULT_BLAS);
  } catch {
    // no libblas.so.3 at the usual place
  }
  const alternatives = `Debian's default libblas.so.3 (the alternatives symlink ${DEFAULT_BLAS}) is ${defaultBlas}`;
  if (!plain || !openblas) return plain || openblas ? `PyTorch BLAS: ${alternatives}.` : undefined;
  const same = plain.join() === openblas.join();
  return same
    ? `PyTorch BLAS: pytorch and pytorch-openblas loaded the same libraries (${plain.join(", ")}): ${alternatives}, so both rows measure the same BLAS and differ only by noise.`
    : `PyTorch BLAS: pytorch loaded ${plain.join(", ")}; pytorch-openblas (LD_LIBRARY_PATH=${OPENBLAS_DIR}) loaded ${openblas.join(", ")}. ${alternatives}.`;
}

const skippedAll = (system: System, workloads: readonly Workload[], reason: string): Result[] =>
  workloads.map((workload) => ({ workload, system, metric: METRICS[workload], value: null, threads: 1, skipped: reason }));

function main(): number {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    log(`bench: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const notes: string[] = [];
  let workloads = options.workloads;
  if (workloads.some((w) => w !== "W1")) {
    const missing = ensureFashionMnist(FASHION_MNIST_DIR, log);
    if (missing) {
      notes.push(`W2 and W3 not run: ${missing}`);
      workloads = workloads.filter((w) => w === "W1");
    }
  }
  if (workloads.length === 0) {
    log(notes.join("\n"));
    return 1;
  }

  const temp = mkdtempSync(join(tmpdir(), "gradstep-bench-"));
  try {
    const initFile = join(temp, "mlp-init.f32");
    const plan = makePlan(options, workloads, initFile);
    const [inputs, ...rest] = MLP.sizes;
    writeInitFile(initFile, initialNetwork({ inputs, hidden: rest.slice(0, -1), activation: "relu", classes: rest.at(-1)! }, "he", MLP.seed));

    const unavailable = new Map([...ensureNpmPeers(options.systems, log), ...ensurePyTorch(options.systems, log)]);
    const timeout = options.quick ? 180 : 3600;
    let results: Result[] = [];
    for (const system of options.systems) {
      const reason = unavailable.get(system);
      if (reason !== undefined) {
        log(`${system}: not run: ${reason}`);
        notes.push(`${system} not run: ${reason}`);
        results.push(...skippedAll(system, plan.workloads, reason));
        continue;
      }
      log(`running ${system} (${plan.workloads.join(", ")}) …`);
      const started = performance.now();
      for (const job of jobs(system, plan)) {
        const { lines, failure } = runJob(job, timeout);
        for (const line of lines) {
          if ("note" in line) notes.push(line.note);
          else results.push(line);
        }
        if (failure !== undefined) {
          log(`${system}: the worker failed: ${failure}`);
          notes.push(`${system}: the worker failed (${failure.split("\n")[0]!}); see the lines above`);
          const have = new Set(lines.filter((l): l is Result => "workload" in l).map((l) => l.workload));
          results.push(...skippedAll(system, job.workloads, `the worker failed: ${failure.split("\n")[0]!}`).filter((r) => !have.has(r.workload)));
        }
      }
      log(`  ${system} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    results = mergeGradstepW1(results);
    const blas = blasNote(results);
    if (blas) notes.push(blas);
    if (options.systems.includes("brain.js") && !unavailable.has("brain.js") && plan.workloads.some((w) => w !== "W1")) {
      notes.push(
        "brain.js trains one sample at a time with ReLU on its output layer and squared error (no softmax), at η = 0.1/128 per sample; W3 runs it one image at a time.",
      );
    }

    if (options.json) {
      for (const r of results) process.stdout.write(`${jsonLine(r)}\n`);
      for (const note of notes) log(`note: ${note}`);
    } else {
      const mode = options.quick ? " (--quick: tiny sizes, for checking that everything runs; not for comparing)" : "";
      process.stdout.write(`\ngradstep benchmark${mode}\n\n${renderTables(results, plan.repeat)}`);
      if (notes.length > 0) process.stdout.write(`Notes\n${notes.map((n) => `  - ${n}\n`).join("")}`);
    }
    return 0;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

process.exitCode = main();
