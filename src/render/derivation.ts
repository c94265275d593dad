import type { Derivation } from "../explain/derive.js";
import type { Solved } from "../explain/solution.js";
import { renderName, type Dialect } from "../explain/name-writing.js";
import { renderExpr, renderNumber, type Leaves } from "./math.js";

/** One derivation as `lhs = rhs₁ = rhs₂ …`, ready to lay out in any format. */
export interface DerivationLines {
  readonly lhs: string;
  /** "←" for a parameter update, "=" otherwise. */
  readonly relation: "=" | "←";
  /** The chain rule, the formula with names, with numbers, and the value; repeats left out. */
  readonly rhs: readonly string[];
}

export interface MathOptions {
  readonly dialect: Dialect;
  readonly decimals: number;
}

export function leavesOf(solution: Solved, { dialect, decimals }: MathOptions): Leaves {
  return { dialect, decimals, name: (q) => solution.notation.name(q), loss: solution.notation.loss };
}

export function derivationLines(solution: Solved, d: Derivation, options: MathOptions): DerivationLines {
  const leaves = leavesOf(solution, options);
  const withNumbers: Leaves = { ...leaves, value: (q) => solution.deriver.values.of(q) };
  const candidates = [
    d.chain && renderExpr(d.chain, leaves),
    renderExpr(d.formula, leaves),
    renderExpr(d.formula, withNumbers),
    renderNumber(d.value, options.dialect, options.decimals),
  ].filter((line): line is string => line !== undefined);
  const rhs = candidates.filter((line, i) => line !== candidates[i - 1]);
  const isUpdate = (d.quantity.kind === "w" || d.quantity.kind === "b") && d.quantity.step > 0;
  return { lhs: renderName(solution.notation.name(d.quantity), options.dialect), relation: isUpdate ? "←" : "=", rhs };
}
