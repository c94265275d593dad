import type en from "./en.js";

/** 简体中文: The page's Train tab, and the labels a screen reader reads. */
export default {} satisfies Readonly<Record<keyof typeof en, string>>;
