import type en from "./en.js";

/** Deutsch: Errors for bad models, data sets, tables and training settings: the place is written as it is, the detail from here. */
export default {} satisfies Readonly<Record<keyof typeof en, string>>;
