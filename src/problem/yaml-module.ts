import type * as Yaml from "yaml";

/**
 * The YAML library, loaded when the first YAML document is read. It takes
 * longer to load than the rest of gradstep (some 80 CommonJS files), and an
 * exercise in JSON never needs it. Node loads it synchronously through
 * require; a page, which has no require, hands it over with `provideYaml`.
 */
let loaded: typeof Yaml | undefined;

/** Gives gradstep the YAML library where it cannot load it itself (a browser bundle): `provideYaml(await import("yaml"))`. */
export function provideYaml(module: typeof Yaml): void {
  loaded = module;
}

export function yaml(): typeof Yaml {
  if (loaded) return loaded;
  // Reached through process, not imported, so that bundlers for browsers see no node: module here.
  const builtin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (builtin === undefined) throw new Error('gradstep reads YAML here only after provideYaml(await import("yaml"))');
  const { createRequire } = builtin("node:module") as typeof import("node:module");
  loaded = createRequire(import.meta.url)("yaml") as typeof Yaml;
  return loaded;
}
