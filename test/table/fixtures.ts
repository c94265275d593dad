import { Rng } from "../../src/engine/rng.js";

/**
 * Realistic tables as users bring them, made here because public data sets
 * cannot be downloaded: every kind of column a real table has (an id, a
 * free-text name, categories, dates, numbers with units in the header,
 * missing cells), seeded so that every figure is reproducible.
 */

const CITIES: Record<string, number> = { paris: 1.9, lyon: 1.25, nantes: 1.0, lille: 0.9, "saint-étienne": 0.6 };
const STREETS = ["Rue de la Paix", "Avenue Foch", "Boulevard Voltaire", "Rue Victor Hugo", "Place Bellecour", "Quai de Saône", "Rue Nationale"];

export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

/** As text: `delimiter`, fields quoted where they need it, CRLF or LF, an optional BOM. */
export function toCsv(table: Table, options: { delimiter?: string; crlf?: boolean; bom?: boolean; decimalComma?: boolean } = {}): string {
  const d = options.delimiter ?? ",";
  const field = (v: string | number) => {
    const text = typeof v === "number" && options.decimalComma ? String(v).replace(".", ",") : String(v);
    return text.includes(d) || text.includes('"') || text.includes("\n") ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const nl = options.crlf ? "\r\n" : "\n";
  return `${options.bom ? "\uFEFF" : ""}${[table.header, ...table.rows].map((r) => r.map(field).join(d)).join(nl)}${nl}`;
}

/**
 * Houses sold in French cities: the price depends on the area (more per m² in
 * dearer cities), the rooms, the age of the building, a garden, and noise.
 * Columns: id, listing (free text), area (m²) with gaps, rooms, city, built
 * (a date), garden (yes/no, with gaps), price (€).
 */
export function houses(count: number, seed = 11): Table {
  const rng = new Rng(seed);
  const cities = Object.keys(CITIES);
  const rows = Array.from({ length: count }, (_, i) => {
    const city = cities[rng.int(0, cities.length - 1)]!;
    const area = Math.round(rng.uniform(25, 220));
    const rooms = Math.max(1, Math.min(8, Math.round(area / 30 + rng.normal() * 0.7)));
    const year = rng.int(1900, 2022);
    const built = `${year}-${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`;
    const garden = rng.next() < 0.4 ? "yes" : "no";
    const price = 3200 * area * CITIES[city]! + 9000 * rooms + 180 * (year - 1960) + (garden === "yes" ? 25000 : 0) + rng.normal() * 18000;
    const listing = `${rooms}-room flat, ${STREETS[rng.int(0, STREETS.length - 1)]} ${rng.int(1, 200)}, "${city}" #${i}`;
    return [i + 1, listing, rng.next() < 0.06 ? "" : area, rooms, city, built, rng.next() < 0.05 ? "NA" : garden, Math.round(price)];
  });
  return { header: ["id", "listing", "Area (m²)", "rooms", "city", "built", "garden", "price (€)"], rows };
}

const SPECIES = {
  Adelie: { bill: [38.8, 2.3], depth: [18.3, 1.1], flipper: [190, 6], mass: [3700, 420], islands: ["Torgersen", "Biscoe", "Dream"] },
  Chinstrap: { bill: [48.8, 2.6], depth: [18.4, 1.1], flipper: [196, 6], mass: [3730, 380], islands: ["Dream"] },
  Gentoo: { bill: [47.5, 2.6], depth: [15.0, 0.9], flipper: [217, 6], mass: [5080, 480], islands: ["Biscoe"] },
} as const;

/**
 * Penguins of three species as the Palmer data set records them: id, island,
 * bill and flipper sizes and body mass with units in the header, sex, the
 * date of the observation, a free-text comment, gaps in every measurement.
 */
export function penguins(count: number, seed = 5): Table {
  const rng = new Rng(seed);
  const names = Object.keys(SPECIES) as (keyof typeof SPECIES)[];
  const gap = (v: number, digits: number) => (rng.next() < 0.03 ? "" : Number(v.toFixed(digits)));
  const rows = Array.from({ length: count }, (_, i) => {
    const species = names[i % 3]!;
    const s = SPECIES[species];
    const size = rng.normal();
    const island = s.islands[rng.int(0, s.islands.length - 1)]!;
    const sex = rng.next() < 0.5 ? "male" : "female";
    const male = sex === "male" ? 1 : -1;
    const at = (m: readonly [number, number]) => m[0] + m[1] * (0.6 * size + 0.3 * male + 0.55 * rng.normal());
    const date = `20${rng.int(7, 9).toString().padStart(2, "0")}-${String(rng.int(10, 12))}-${String(rng.int(1, 28)).padStart(2, "0")}`;
    return [
      `N${i + 1}A${rng.int(1, 2)}`,
      island,
      gap(at(s.bill), 1),
      gap(at(s.depth), 1),
      gap(at(s.flipper), 0),
      gap(at(s.mass), 0),
      rng.next() < 0.03 ? "NA" : sex,
      date,
      `Nest ${rng.int(1, 99)}, ${rng.next() < 0.5 ? "egg seen" : "no egg"} (${island})`,
      species,
    ];
  });
  return {
    header: [
      "Individual ID",
      "Island",
      "Culmen Length (mm)",
      "Culmen Depth (mm)",
      "Flipper Length (mm)",
      "Body Mass (g)",
      "Sex",
      "Date Egg",
      "Comments",
      "Species",
    ],
    rows,
  };
}

/**
 * Ordinary least squares on the same encoded, standardized inputs the model
 * sees (with an intercept), solved by the normal equations with a little
 * ridge for stability: the baseline a regression must not do worse than.
 */
export function leastSquares(x: Float32Array, y: readonly number[], features: number): (row: Float32Array) => number {
  const p = features + 1,
    n = y.length;
  const a = Array.from({ length: p }, () => new Float64Array(p));
  const b = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const row = [1, ...x.subarray(i * features, (i + 1) * features)];
    for (let j = 0; j < p; j++) {
      b[j]! += row[j]! * y[i]!;
      for (let k = 0; k < p; k++) a[j]![k]! += row[j]! * row[k]!;
    }
  }
  for (let j = 1; j < p; j++) a[j]![j]! += 1e-6 * n;
  // Gaussian elimination with partial pivoting.
  for (let c = 0; c < p; c++) {
    let pivot = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    [b[c], b[pivot]] = [b[pivot]!, b[c]!];
    for (let r = c + 1; r < p; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < p; k++) a[r]![k]! -= f * a[c]![k]!;
      b[r]! -= f * b[c]!;
    }
  }
  const w = new Float64Array(p);
  for (let r = p - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < p; k++) s -= a[r]![k]! * w[k]!;
    w[r] = s / a[r]![r]!;
  }
  return (row) => w[0]! + Array.from(row).reduce((s, v, j) => s + v * w[j + 1]!, 0);
}
