import type { MatrixEquation, Operand } from "../explain/matrix-form.js";
import type { Grid } from "../solve/trace.js";
import { renderNumber } from "./math.js";

/** A matrix as bracketed rows with aligned columns, one string per row. */
function textMatrix(rows: Grid, decimals: number, transposed: boolean): string[] {
  const cells = rows.map((row) => row.map((v) => renderNumber(v, "text", decimals)));
  const widths = (cells[0] ?? []).map((_, j) => Math.max(...cells.map((row) => row[j]!.length)));
  return cells.map((row, i) => `[ ${row.map((cell, j) => cell.padStart(widths[j]!)).join("  ")} ]${transposed ? (i === 0 ? "ᵀ" : " ") : ""}`);
}

function textOperand(operand: Operand, decimals: number): string[] {
  switch (operand.kind) {
    case "matrix":
      return textMatrix(operand.rows, decimals, operand.transposed ?? false);
    case "scalar":
      return [renderNumber(operand.value, "text", decimals)];
    case "operator":
      return [operand.text === "·" ? "·" : ` ${operand.text} `];
  }
}

/** Blocks of lines side by side, aligned at their first line. */
function besideEachOther(blocks: readonly string[][]): string[] {
  const height = Math.max(...blocks.map((b) => b.length));
  const widths = blocks.map((b) => Math.max(...b.map((line) => line.length)));
  return Array.from({ length: height }, (_, i) =>
    blocks
      .map((b, k) => (b[i] ?? "").padEnd(widths[k]!))
      .join("")
      .trimEnd(),
  );
}

/** A matrix equation in text: the rule, then the matrices, then the result, each a block of lines. */
export function matrixText(equation: MatrixEquation, decimals: number): { lhs: string; relation: string; rhs: string[][] } {
  const rhs = [[equation.rule.text]];
  if (equation.operands) rhs.push(besideEachOther(equation.operands.map((o) => textOperand(o, decimals))));
  rhs.push(textMatrix(equation.result, decimals, false));
  return { lhs: equation.lhs.text, relation: equation.relation, rhs };
}

function latexMatrix(rows: Grid, decimals: number): string {
  return `\\begin{bmatrix} ${rows.map((row) => row.map((v) => renderNumber(v, "latex", decimals)).join(" & ")).join(" \\\\ ")} \\end{bmatrix}`;
}

/** A matrix equation as the rows of an aligned environment. */
export function matrixLatexRows(equation: MatrixEquation, decimals: number): string[] {
  const relation = equation.relation === "←" ? "\\leftarrow" : "=";
  const operands = equation.operands?.map((o) => {
    switch (o.kind) {
      case "matrix":
        return `${latexMatrix(o.rows, decimals)}${o.transposed ? "^\\top" : ""}`;
      case "scalar":
        return renderNumber(o.value, "latex", decimals);
      case "operator":
        return o.latex === " " ? "\\," : ` ${o.latex} `;
    }
  });
  return [
    `${equation.lhs.latex} &${relation} ${equation.rule.latex}`,
    ...(operands ? [`&= ${operands.join("")}`] : []),
    `&= ${latexMatrix(equation.result, decimals)}`,
  ];
}
