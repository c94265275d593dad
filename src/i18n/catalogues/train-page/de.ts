import type en from "./en.js";

/** Deutsch: The page's Train tab, and the labels a screen reader reads. */
export default {} satisfies Readonly<Record<keyof typeof en, string>>;
