import { z } from "zod";
import { isRecord, type JsonPath } from "../json-path.js";
import { InputError } from "../problem/input-error.js";
import { describeIssue, firstIssue } from "../problem/schema-issues.js";
import { readPrinted, type Printed } from "./printed.js";

/** A hand-worked value, addressed by trace path or by name, as printed or as a number. */
export const claimSchema = z
  .looseObject({
    path: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    /** For names: the step, 1-based (a parameter's value after that step's update). */
    step: z.int().min(0).optional(),
    value: z.number().optional(),
    printed: z.string().optional(),
    /** Who wrote it; values of one author are replayed together to find carried-forward slips. */
    seed: z.string().optional(),
  })
  .refine((c) => c.path !== undefined || c.name !== undefined, { message: 'expected "path" or "name"' })
  .refine((c) => c.value !== undefined || c.printed !== undefined, { message: 'expected "value" or "printed"' });

export type ClaimInput = z.infer<typeof claimSchema>;

export interface Claim {
  readonly input: ClaimInput;
  /** Where the claim was written, for error messages: `claims[3]`. */
  readonly at: JsonPath;
  readonly printed: Printed;
  readonly author: string;
}

/**
 * The claims of a document: its `claims` array, or the document itself when
 * it is an array (a separate claims file). Throws InputError at the first bad one.
 */
export function readClaims(document: unknown, file?: string): Claim[] {
  const list: unknown = Array.isArray(document) ? document : isRecord(document) ? document.claims : undefined;
  const base: JsonPath = Array.isArray(document) ? [] : ["claims"];
  if (list === undefined) return [];
  const parsed = z.array(claimSchema).safeParse(list);
  if (!parsed.success) {
    const issue = describeIssue(firstIssue(parsed.error.issues), list);
    throw new InputError(issue.detail, { file, path: [...base, ...issue.path] });
  }
  return parsed.data.map((input, k) => {
    const text = input.printed ?? String(input.value);
    const printed = readPrinted(text);
    if (!printed) throw new InputError(`expected a number as written (like "0.0765"), found ${JSON.stringify(text)}`, { file, path: [...base, k, "printed"] });
    return { input, at: [...base, k], printed, author: input.seed ?? "" };
  });
}
