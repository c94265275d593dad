/** The report: a table per workload for people, or one JSON object per line for programs. */
import { METRICS, TITLES, WORKLOADS, type Result } from "./config.js";

function formatValue(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toPrecision(3);
}

function formatRatio(ratio: number): string {
  return ratio >= 100 ? Math.round(ratio).toLocaleString("en-US") : ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2);
}

/** gradstep's value over the peer's: above 1, gradstep is faster. */
export function ratio(gradstep: Result | undefined, peer: Result): number | undefined {
  return gradstep?.value && peer.value ? gradstep.value / peer.value : undefined;
}

function pad(cells: readonly string[], widths: readonly number[], rightAligned: readonly boolean[]): string {
  return cells
    .map((cell, i) => (rightAligned[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
    .join("  ")
    .trimEnd();
}

interface Row {
  readonly cells: readonly string[];
  /** Said after the cells: why a value is missing, or what a row is. */
  readonly note?: string;
}

/** gradstep's W1 variants, shown under its row: each dtype, and the hand-written floor. */
function variants(result: Result): Row[] {
  const details = result.details ?? {};
  const rows: [string, unknown, string?][] = [
    ["  · float32", details.float32],
    ["  · float64", details.float64],
    ["  · hand-written", details.handWrittenFloat64, "the same step written out for this network in float64 JS, no engine"],
  ];
  return rows
    .filter((row): row is [string, number, string?] => typeof row[1] === "number")
    .map(([name, value, note]) => ({ cells: [name, "1", formatValue(value), ""], ...(note ? { note } : {}) }));
}

export function renderTables(results: readonly Result[], repeat: number): string {
  const out: string[] = [];
  for (const workload of WORKLOADS) {
    const measured = results.filter((r) => r.workload === workload);
    if (measured.length === 0) continue;
    // Ratios are to gradstep's best row (its fastest thread count), as each peer has a row per setting.
    const gradstep = measured.filter((r) => r.system === "gradstep" && r.value !== null).sort((a, b) => b.value! - a.value!)[0];
    const withAccuracy = workload === "W2";
    const header = ["system", "threads", METRICS[workload], "gradstep/peer", ...(withAccuracy ? ["test acc"] : [])];
    const rows: Row[] = [];
    for (const r of measured) {
      const accuracy = withAccuracy ? [r.accuracy === undefined ? "" : `${(100 * r.accuracy).toFixed(2)}%`] : [];
      if (r.value === null) {
        rows.push({ cells: [r.system, String(r.threads), "—", "", ...accuracy], note: `skipped: ${r.skipped ?? "no value"}` });
        continue;
      }
      const q = ratio(gradstep, r);
      rows.push({ cells: [r.system, String(r.threads), formatValue(r.value), q === undefined ? "" : formatRatio(q), ...accuracy] });
      if (r.system === "gradstep" && workload === "W1") rows.push(...variants(r));
    }
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row.cells[i]?.length ?? 0)));
    const right = header.map((_, i) => i > 0);
    out.push(`${workload}  ${TITLES[workload]}`);
    out.push(`    ${METRICS[workload]}, higher is better; median of ${repeat} timed run${repeat === 1 ? "" : "s"} after warm-up`);
    out.push(`  ${pad(header, widths, right)}`);
    for (const row of rows) out.push(`  ${pad(row.cells, widths, right)}${row.note ? `  ${row.note}` : ""}`);
    out.push("");
  }
  return out.join("\n");
}

/** The --json line of a result: the fields every line has, then what this one adds. */
export function jsonLine(r: Result): string {
  const { workload, system, metric, value, threads, accuracy, skipped, details, runs } = r;
  return JSON.stringify({
    workload,
    system,
    metric,
    value,
    threads,
    ...(accuracy === undefined ? {} : { accuracy }),
    ...(skipped === undefined ? {} : { skipped }),
    ...(details === undefined && runs === undefined ? {} : { details: { ...details, ...(runs ? { runs } : {}) } }),
  });
}
