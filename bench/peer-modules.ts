/**
 * The npm peers live in bench/.peers/node_modules, installed on demand and
 * never dependencies of the project, so they are loaded by path (and typed
 * by the small interfaces their workers declare). The project's own
 * node_modules may hold other versions; those are never used.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { PEERS_DIR } from "./config.js";

const require = createRequire(join(PEERS_DIR, "package.json"));
const folder = (name: string): string => join(PEERS_DIR, "node_modules", name);

/** The version of `name` installed in bench/.peers, or undefined when it is not there. */
export function peerVersion(name: string): string | undefined {
  const file = join(folder(name), "package.json");
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version;
}

/** `require` of the copy in bench/.peers (CommonJS entry points, as both tfjs and brain.js ship for Node). */
export function requirePeer(name: string): unknown {
  if (peerVersion(name) === undefined) throw new Error(`${name} is not installed in bench/.peers (npm run bench installs it)`);
  return require(folder(name));
}
