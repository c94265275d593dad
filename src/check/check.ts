import type { Derivation } from "../explain/derive.js";
import type { Quantity } from "../explain/quantity.js";
import { quantityAt } from "../explain/quantity.js";
import { solved, type Solved } from "../explain/solution.js";
import { formatPath, type JsonPath } from "../json-path.js";
import { InputError } from "../input-error.js";
import type { Say } from "../i18n/translate.js";
import type { Problem } from "../problem/problem.js";
import { renderName } from "../explain/name-writing.js";
import { formatNumber } from "../number-format.js";
import type { Trace } from "../solve/trace.js";
import { pathOf } from "../explain/quantity.js";
import type { Claim } from "./claims.js";
import { NameIndex, similarNames } from "./names.js";
import { agrees, type Printed } from "./printed.js";
import { diagnose, quantityKey, type Slip } from "./slip.js";

export type Verdict = "agrees" | "disagrees";

export interface CheckedClaim {
  readonly path: string;
  /** The quantity's name in the exercise's notation. */
  readonly name: string;
  readonly printed: string;
  readonly solved: number;
  readonly verdict: Verdict;
  readonly slip: Slip | null;
  readonly quantity: Quantity;
  /** How the correct value arises (absent for given values). */
  readonly derivation: Derivation | undefined;
}

export interface CheckResult {
  readonly solution: Solved;
  readonly claims: readonly CheckedClaim[];
}

function resolve(claim: Claim, solution: Solved, names: () => NameIndex, file: string | undefined): Quantity {
  const { input, at } = claim;
  if (claim.quantity) return claim.quantity;
  const fail = (key: string, say: Say): never => {
    throw InputError.said(say, { file, path: [...at, key] as JsonPath });
  };
  if (input.path !== undefined) {
    const text = JSON.stringify(input.path);
    return (
      quantityAt(solution.deriver.values, input.path) ??
      fail("path", (t) => t.text("error.notTracePath", { example: '"steps[0].backward[1].weights[0][0]"', text }))
    );
  }
  const name = input.name!;
  const found = names().find(name, input.step ?? 1);
  if (found) return found;
  const similar = names().similar(name);
  const { step } = input;
  return fail(
    "name",
    (t) =>
      (step === undefined
        ? t.text("error.noQuantityCalled", { name: JSON.stringify(name) })
        : t.text("error.noQuantityCalledAtStep", { name: JSON.stringify(name), step })) + similarNames(similar, t),
  );
}

/** Checks hand-worked values against the solved trace: a verdict for each, and for wrong ones the likely slip. */
export function checkClaims(
  problem: Problem,
  trace: Trace,
  claims: readonly Claim[],
  options: { file?: string; decimals?: number; solution?: Solved } = {},
): CheckResult {
  const solution = options.solution ?? solved(problem, trace);
  let index: NameIndex | undefined;
  // Built only for claims by name: indexing every name of a large exercise costs more than checking paths.
  const names = () => (index ??= new NameIndex(problem, solution.notation));
  const nameOf = (q: Quantity) => renderName(solution.notation.name(q), "text");
  const resolved = claims.map((claim) => ({ claim, quantity: resolve(claim, solution, names, options.file) }));

  // Each author's own values, so that a slip can be traced to an earlier value they carried forward.
  const byAuthor = new Map<string, Map<string, number>>();
  const printedBy = new Map<string, Map<string, Printed>>();
  for (const { claim, quantity } of resolved) {
    const own = byAuthor.get(claim.author) ?? new Map<string, number>();
    const printed = printedBy.get(claim.author) ?? new Map<string, Printed>();
    if (!own.has(quantityKey(quantity))) {
      own.set(quantityKey(quantity), claim.printed.value);
      printed.set(quantityKey(quantity), claim.printed);
    }
    byAuthor.set(claim.author, own);
    printedBy.set(claim.author, printed);
  }

  const checked = resolved.map(({ claim, quantity }): CheckedClaim => {
    const solved = solution.deriver.values.of(quantity);
    const verdict: Verdict = agrees(claim.printed, solved) ? "agrees" : "disagrees";
    const slip =
      verdict === "agrees"
        ? null
        : (diagnose(quantity, claim.printed, {
            deriver: solution.deriver,
            name: nameOf,
            claimed: byAuthor.get(claim.author)!,
            printed: printedBy.get(claim.author)!,
            format: (v) => formatNumber(v, Math.max(4, claim.printed.decimals + 1)),
          }) ?? null);
    return {
      path: formatPath(pathOf(problem, quantity)),
      name: nameOf(quantity),
      printed: claim.printed.text,
      solved,
      verdict,
      slip,
      quantity,
      derivation: solution.deriver.derive(quantity),
    };
  });
  return { solution, claims: checked };
}
