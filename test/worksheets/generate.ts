import type { Name } from "../../src/explain/names.js";
import { solutionOrder } from "../../src/explain/order.js";
import { pathOf, type Quantity } from "../../src/explain/quantity.js";
import { solved } from "../../src/explain/solution.js";
import { formatPath } from "../../src/json-path.js";
import type { Problem } from "../../src/problem/problem.js";
import { leavesOf } from "../../src/render/derivation.js";
import { renderName } from "../../src/explain/name-writing.js";
import { renderExpr } from "../../src/render/math.js";
import type { Trace } from "../../src/solve/trace.js";

/** The words a worksheet in each language uses for its headings. */
export const LANGUAGES = {
  en: { total: "Total loss:", step: (k: number) => `## Iteration ${k}`, sample: (s: number) => `Sample ${s}:`, forward: "Forward pass", backward: "Backward pass", update: "Update", final: "## Final forward pass", given: "Given:" },
  zh: { total: "总损失:", step: (k: number) => `## 第${"一二三四五"[k - 1]}次迭代`, sample: (s: number) => `样本 ${s}：`, forward: "前向传播", backward: "反向传播", update: "权重更新", final: "## 最终前向传播", given: "已知：" },
  ja: { total: "全体の損失:", step: (k: number) => `### ステップ ${k}`, sample: (s: number) => `サンプル ${s}:`, forward: "順伝播", backward: "逆伝播", update: "重みの更新", final: "### 更新後の順伝播", given: "与えられた値:" },
  de: { total: "Gesamtfehler:", step: (k: number) => `**Schritt ${k}**`, sample: (s: number) => `Datenpunkt ${s}:`, forward: "Vorwärts", backward: "Rückwärts", update: "Aktualisierung", final: "**Nach dem letzten Update**", given: "Gegeben:" },
} as const;

export type Language = keyof typeof LANGUAGES;

export interface Style {
  readonly language: Language;
  /** How products are written: OCR tools and people mix these. */
  readonly times: "\\cdot" | "\\times" | "*" | "×" | "·";
  /** Update written as :=, \leftarrow or a primed name. */
  readonly update: ":=" | "\\leftarrow" | "prime";
  /** Every `every`-th value is written wrong. */
  readonly every: number;
  /** Stray \quad at the end of display math, as OCR leaves them. */
  readonly noise: boolean;
}

export interface KeyEntry {
  readonly path: string;
  readonly printed: string;
  readonly verdict: "agrees" | "disagrees";
}

function withoutSample(name: Name): Name {
  if (name.kind === "partial") return name;
  const { sample: _sample, ...rest } = name;
  return rest;
}

function nameLatex(solution: ReturnType<typeof solved>, q: Quantity): string {
  const name = solution.notation.name(q);
  if (name.kind === "partial") return renderName({ ...name, wrt: withoutSample(name.wrt) }, "latex");
  return renderName(withoutSample(name), "latex");
}

/** A slip of the pen: two digits swapped where they differ, else one digit changed. */
function miswrite(text: string): string {
  const digits = [...text];
  for (let i = digits.length - 1; i > 0; i--) {
    if (/\d/.test(digits[i]!) && /\d/.test(digits[i - 1]!) && digits[i] !== digits[i - 1] && i < digits.length - 1) {
      [digits[i], digits[i - 1]] = [digits[i - 1]!, digits[i]!];
      return digits.join("");
    }
  }
  const k = digits.findIndex((c) => /[1-9]/.test(c));
  digits[k] = String((Number(digits[k]) + 3) % 10);
  return digits.join("");
}

/**
 * A worksheet as a student would write the exercise out: headings in the
 * language's words, every value's equation with its numbers substituted,
 * some values written wrong; and the answer key.
 */
export function writeWorksheet(problem: Problem, trace: Trace, style: Style): { text: string; key: KeyEntry[] } {
  const words = LANGUAGES[style.language];
  const solution = solved(problem, trace);
  const { deriver } = solution;
  const key: KeyEntry[] = [];
  const out: string[] = [];
  let count = 0;
  const batch = problem.data.inputs.length;
  const write = (q: Quantity, relation = "=") => {
    const d = deriver.derive(q);
    const exact = deriver.values.of(q);
    const decimals = Math.abs(exact) >= 100 ? 2 : 4;
    let printed = exact.toFixed(decimals).replace(/^-0\.0+$/, "0.0000");
    count++;
    const wrong = style.every > 0 && count % style.every === 0;
    if (wrong) printed = miswrite(printed);
    const name = nameLatex(solution, q);
    let lhs = name;
    if (relation === "prime") {
      lhs = `${name}'`;
      relation = "=";
    }
    // The formula with the numbers substituted, as the solution renders it.
    const substituted = d && d.formula.kind !== "ref" ? renderExpr(d.formula, { ...leavesOf(solution, { dialect: "latex", decimals: 4 }), value: (r) => deriver.values.of(r) }) : undefined;
    const middle = substituted ? `${substituted.replace(/\\cdot/g, style.times)} = ` : "";
    out.push(`$$${lhs} ${relation} ${middle}${printed}${style.noise && count % 3 === 0 ? " \\quad" : ""}$$`);
    const agrees = Math.abs(Number(printed) - exact) < 10 ** -decimals;
    key.push({ path: formatPath(pathOf(problem, q)), printed, verdict: agrees ? "agrees" : "disagrees" });
  };
  const bySample = (qs: readonly Quantity[]) => {
    for (let s = 0; s < batch; s++) {
      const mine = qs.filter((q) => "sample" in q && q.sample === s);
      if (mine.length === 0) continue;
      if (batch > 1) out.push("", words.sample(s + 1), "");
      mine.forEach((q) => write(q));
    }
    const whole = qs.filter((q) => !("sample" in q));
    if (whole.length > 0 && batch > 1 && qs.length > whole.length) out.push("", words.total, "");
    whole.forEach((q) => write(q));
  };
  out.push(`# ${problem.title ?? "Worksheet"}`, "", `${words.given} $${nameLatex(solution, { kind: "x", sample: 0, i: 0 })} = ${problem.data.inputs[0]![0]}$`, "");
  key.push({ path: "data.inputs[0][0]", printed: String(problem.data.inputs[0]![0]), verdict: "agrees" });
  const { steps, final } = solutionOrder(problem);
  for (const s of steps) {
    out.push("", words.step(s.step + 1), "", words.forward, "");
    bySample(s.forward.flat());
    bySample(s.loss);
    out.push("", words.backward, "");
    for (const b of s.backward) bySample(b.quantities);
    bySample(s.inputGradients);
    if (s.updates.length > 0) {
      out.push("", words.update, "");
      for (const q of s.updates.flat()) write(q, style.update === "prime" ? "prime" : style.update);
    }
  }
  if (final) {
    out.push("", words.final, "");
    bySample(final.forward.flat());
    bySample(final.loss);
  }
  return { text: `${out.join("\n")}\n`, key };
}
