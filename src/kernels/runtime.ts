/** Whether this code runs in Node (worker_threads, files) rather than a browser (Web Workers, fetch). */
export function onNode(): boolean {
  return typeof process !== "undefined" && typeof process.versions.node === "string";
}
