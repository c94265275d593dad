import type en from "./en.js";

/** Deutsch: train, eval, predict, inspect, export, examples and serve: their reports and their help. */
export default {} satisfies Readonly<Record<keyof typeof en, string>>;
