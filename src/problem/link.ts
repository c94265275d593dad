import { isRecord } from "../json-path.js";
import { InputError } from "../input-error.js";

/**
 * A problem carried in a URL fragment, `#problem=` followed by the base64url
 * of its JSON (UTF-8), so that a link restores the exercise exactly: the CLI's
 * `serve` prints such links and the web page reads and writes them. Works in
 * Node and in browsers alike (TextEncoder, btoa, atob).
 */
export const LINK_KEY = "problem";

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The fragment (without `#`) that holds `document`, a problem file as a plain object. */
export function problemFragment(document: object): string {
  return `${LINK_KEY}=${toBase64Url(new TextEncoder().encode(JSON.stringify(document)))}`;
}

/**
 * The problem document a fragment holds (`#problem=…` or `problem=…`), or
 * undefined when the fragment holds none. Throws InputError when it holds
 * one that cannot be read; validating the document is the caller's job.
 */
export function readProblemFragment(fragment: string): Record<string, unknown> | undefined {
  const params = new URLSearchParams(fragment.replace(/^#/, ""));
  const encoded = params.get(LINK_KEY);
  if (encoded === null) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(fromBase64Url(encoded.trim())));
  } catch {
    throw InputError.said((t) => t.text("error.linkUnreadable"));
  }
  if (!isRecord(document)) throw InputError.said((t) => t.text("error.linkNotObject"));
  return document;
}
