import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The prose in English whatever the machine's locale: a test that wants another language passes --lang or its own LANG. */
export const ENGLISH = { LC_ALL: "", LC_MESSAGES: "", LANG: "C.UTF-8" };

/** Runs the built CLI as a user would (`npm test` builds it first). */
export function gradstep(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: "utf8",
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...ENGLISH, ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
