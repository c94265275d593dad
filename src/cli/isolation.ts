/**
 * The headers that make the page cross-origin isolated, the only state in
 * which a browser shares memory between threads (SharedArrayBuffer), so the
 * kernels can split large products between Web Workers. The page loads
 * nothing from other origins, so nothing it needs is blocked. Sent by
 * `gradstep serve` and by Vite's dev and preview servers.
 */
export const CROSS_ORIGIN_ISOLATION: Readonly<Record<string, string>> = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};
