import type en from "./en.js";

/** 日本語: The page's Train tab, and the labels a screen reader reads. */
export default {} satisfies Readonly<Record<keyof typeof en, string>>;
