import * as v from "valibot";
import { isRecord, type JsonPath } from "../json-path.js";
import { InputError } from "../input-error.js";
import { describeIssue, firstIssue } from "../problem/schema-issues.js";
import { issueError } from "../problem/validate.js";
import type { Quantity } from "../explain/quantity.js";
import { readPrinted, type Printed } from "./printed.js";

/** A hand-worked value, addressed by trace path or by name, as printed or as a number. */
export const claimSchema = v.pipe(
  v.looseObject({
    path: v.optional(v.pipe(v.string(), v.minLength(1))),
    name: v.optional(v.pipe(v.string(), v.minLength(1))),
    /** For names: the step, 1-based (a parameter's value after that step's update). */
    step: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    value: v.optional(v.pipe(v.number(), v.finite())),
    printed: v.optional(v.string()),
    /** Who wrote it; values of one author are replayed together to find carried-forward slips. */
    seed: v.optional(v.string()),
  }),
  // The messages are keys of the error catalogue: problem/schema-issues.ts says them in the reader's language.
  v.check((c) => c.path !== undefined || c.name !== undefined, "error.claimPathOrName"),
  v.check((c) => c.value !== undefined || c.printed !== undefined, "error.claimValueOrPrinted"),
);
const claimsSchema = v.array(claimSchema);

export type ClaimInput = v.InferOutput<typeof claimSchema>;

export interface Claim {
  readonly input: ClaimInput;
  /** Where the claim was written, for error messages: `claims[3]`. */
  readonly at: JsonPath;
  readonly printed: Printed;
  readonly author: string;
  /** The quantity, when the reader of a worksheet has already matched it (given values have no trace path). */
  readonly quantity?: Quantity;
}

/**
 * The claims of a document: its `claims` array, or the document itself when
 * it is an array (a separate claims file). Throws InputError at the first bad one.
 */
export function readClaims(document: unknown, file?: string): Claim[] {
  const list: unknown = Array.isArray(document) ? document : isRecord(document) ? document.claims : undefined;
  const base: JsonPath = Array.isArray(document) ? [] : ["claims"];
  if (list === undefined) return [];
  const parsed = v.safeParse(claimsSchema, list);
  if (!parsed.success) {
    throw issueError(describeIssue(firstIssue(parsed.issues), list, claimsSchema), { file, base });
  }
  return parsed.output.map((input, k) => {
    const text = input.printed ?? String(input.value);
    const printed = readPrinted(text);
    if (!printed)
      throw InputError.said((t) => t.text("error.notPrinted", { example: '"0.0765"', text: JSON.stringify(text) }), { file, path: [...base, k, "printed"] });
    return { input, at: [...base, k], printed, author: input.seed ?? "" };
  });
}
