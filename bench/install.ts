/**
 * Brings the peers in on demand, never as dependencies of the project: npm
 * packages into bench/.peers, PyTorch and OpenBLAS from Debian with apt-get
 * (as root only). Whatever cannot be had is reported with its reason, and
 * the benchmark goes on with the rest.
 */
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { PEERS_DIR, type System } from "./config.js";
import { peerVersion } from "./peer-modules.js";

/** Each npm peer's packages, pinned where the comparison names a version. */
const NPM_PEERS = {
  "tfjs-cpu": ["@tensorflow/tfjs@4.22.0"],
  "tfjs-wasm": ["@tensorflow/tfjs@4.22.0", "@tensorflow/tfjs-backend-wasm@4.22.0"],
  "brain.js": ["brain.js"],
} as const satisfies Partial<Record<System, readonly string[]>>;
type NpmPeer = keyof typeof NPM_PEERS;

/** Debian's PyTorch is for Debian's Python; a python3 earlier on PATH (pyenv, a venv) would not see it. */
export const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
/** libopenblas0-openmp's folder: its libblas.so.3 is OpenBLAS whatever Debian's alternatives choose. */
export const OPENBLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-openmp";
/** What libblas.so.3 is by default: Debian's alternatives symlink. */
export const DEFAULT_BLAS = "/usr/lib/x86_64-linux-gnu/libblas.so.3";

/** `name@version` → name and (when pinned) version. */
function parseSpec(spec: string): { name: string; version: string | undefined } {
  const at = spec.lastIndexOf("@");
  return at > 0 ? { name: spec.slice(0, at), version: spec.slice(at + 1) } : { name: spec, version: undefined };
}

function installed(spec: string): boolean {
  const { name, version } = parseSpec(spec);
  const have = peerVersion(name);
  return have !== undefined && (version === undefined || have === version);
}

/** npm's error in one line: its code and first message (the full log is under ~/.npm/_logs). */
function npmError(output: string): string {
  const lines = output
    .split("\n")
    .filter((line) => line.startsWith("npm error "))
    .map((line) => line.slice("npm error ".length));
  const code = lines.find((line) => line.startsWith("code "))?.slice("code ".length);
  const message = lines.find((line) => line.trim() !== "" && !/^(code|syscall|errno) |^\s|^[{}]/.test(line));
  const text = [code, message].filter(Boolean).join(": ") || output.trim().split("\n").at(-1) || "no message";
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function sizeOf(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, entry) => sum + sizeOf(join(path, entry)), 0);
}

/**
 * One `npm install --no-save` of exactly `specs`: without a package.json in
 * bench/.peers, npm removes whatever an install does not name, so every
 * install names every peer that should stay.
 */
function npmInstall(specs: readonly string[]): { ok: boolean; output: string } {
  const result = spawnSync("npm", ["install", "--prefix", PEERS_DIR, "--no-save", "--no-audit", "--no-fund", "--loglevel=error", ...specs], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { ok: result.status === 0, output: `${result.stdout}\n${result.stderr}${result.error ? `\n${result.error.message}` : ""}` };
}

/**
 * Installs the npm packages of the requested peers into bench/.peers (those
 * already there stay). Returns why each peer that cannot run is missing.
 */
export function ensureNpmPeers(systems: readonly System[], log: (line: string) => void): Map<System, string> {
  const requested = systems.filter((s): s is NpmPeer => s in NPM_PEERS);
  const missing = new Map<System, string>();
  const wanted = [...new Set(requested.flatMap((s) => NPM_PEERS[s]))];
  if (wanted.every(installed)) return missing;

  const kept = Object.values(NPM_PEERS).flat().filter(installed);
  const all = [...new Set([...kept, ...wanted])];
  log(`installing ${wanted.filter((s) => !installed(s)).join(", ")} into bench/.peers (npm install --no-save) …`);
  const started = performance.now();
  const failures = new Map<string, string>();
  if (!npmInstall(all).ok) {
    // Find which package fails, one at a time, keeping those that install.
    const good: string[] = [];
    let lastOk = true;
    for (const spec of all) {
      const attempt = npmInstall([...good, spec]);
      lastOk = attempt.ok;
      if (attempt.ok) good.push(spec);
      else failures.set(spec, npmError(attempt.output));
    }
    if (!lastOk && good.length > 0) npmInstall(good);
  }
  const seconds = (performance.now() - started) / 1000;
  const size = existsSync(PEERS_DIR) ? sizeOf(join(PEERS_DIR, "node_modules")) / 2 ** 20 : 0;
  log(`  npm install took ${seconds.toFixed(0)} s; bench/.peers/node_modules is ${size.toFixed(0)} MB`);
  for (const system of requested) {
    const absent = NPM_PEERS[system].filter((spec) => !installed(spec));
    if (absent.length === 0) continue;
    const why = absent.map((spec) => `${spec}: ${failures.get(spec) ?? "not installed"}`).join("; ");
    missing.set(system, `npm could not install ${absent.join(", ")} (${why})`);
  }
  return missing;
}

const isRoot = (): boolean => process.getuid?.() === 0;
const hasAptGet = (): boolean => spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;

/** apt-get install as root, its output on our standard error; true when it succeeded. */
function aptInstall(packages: readonly string[], log: (line: string) => void): boolean {
  log(`installing ${packages.join(" ")} with apt-get …`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const started = performance.now();
  const update = spawnSync("apt-get", ["update", "-qq"], { stdio: ["ignore", 2, 2], env });
  if (update.status !== 0) log("  apt-get update failed; trying the install with the package lists there are");
  const install = spawnSync("apt-get", ["install", "-y", "-qq", ...packages], { stdio: ["ignore", 2, 2], env });
  log(`  apt-get ${install.status === 0 ? "installed them" : "failed"} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return install.status === 0;
}

function hasTorch(): boolean {
  return spawnSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" }).status === 0;
}

/** Debian's PyTorch and OpenBLAS: present, installed now (root), or why not. */
export function ensurePyTorch(systems: readonly System[], log: (line: string) => void): Map<System, string> {
  const missing = new Map<System, string>();
  const wanted = systems.filter((s) => s === "pytorch" || s === "pytorch-openblas");
  if (wanted.length === 0) return missing;
  const packages = ["python3-torch", "libopenblas0-openmp"];
  if (!hasTorch() || (wanted.includes("pytorch-openblas") && !existsSync(OPENBLAS_DIR))) {
    if (isRoot() && hasAptGet()) aptInstall(hasTorch() ? ["libopenblas0-openmp"] : packages, log);
  }
  const how = `install Debian's packages with: sudo apt-get install ${packages.join(" ")}`;
  if (!hasTorch()) {
    const why =
      isRoot() && hasAptGet() ? "apt-get could not install python3-torch" : `${PYTHON} cannot import torch and the benchmark installs it only as root`;
    for (const system of wanted) missing.set(system, `PyTorch is missing: ${why}; ${how}`);
  } else if (wanted.includes("pytorch-openblas") && !existsSync(OPENBLAS_DIR)) {
    missing.set("pytorch-openblas", `${OPENBLAS_DIR} does not exist (package libopenblas0-openmp); ${how}`);
  }
  return missing;
}

/** Debian's dataset-fashion-mnist for W2 and W3: present, installed now (root), or why not. */
export function ensureFashionMnist(dir: string, log: (line: string) => void): string | undefined {
  if (existsSync(dir)) return undefined;
  if (isRoot() && hasAptGet() && aptInstall(["dataset-fashion-mnist"], log) && existsSync(dir)) return undefined;
  return `Fashion-MNIST is missing at ${dir}: install it with sudo apt-get install dataset-fashion-mnist`;
}
