import { problemFragment, readProblemFragment } from "../../src/problem/link.js";
import { exerciseFile, type Exercise } from "./exercise.js";

/**
 * The whole problem lives in the URL's fragment (#problem=…, base64url
 * JSON), so a teacher shares an exercise as a link. The page rewrites the
 * fragment after every change, without adding history entries.
 */
let written = "";

export function linkOf(exercise: Exercise): string {
  const url = new URL(window.location.href);
  url.hash = problemFragment(exerciseFile(exercise));
  return url.href;
}

export function writeLink(exercise: Exercise): void {
  const fragment = `#${problemFragment(exerciseFile(exercise))}`;
  if (fragment === window.location.hash) return;
  written = fragment;
  history.replaceState(null, "", fragment);
}

/** The problem document in the current URL, if any; throws InputError for a damaged one. */
export function readLink(): Record<string, unknown> | undefined {
  return readProblemFragment(window.location.hash);
}

/** Calls `open` when the user pastes or follows another link, not for the page's own rewrites. */
export function onLinkChange(open: () => void): void {
  window.addEventListener("hashchange", () => {
    if (window.location.hash !== written) open();
  });
}
