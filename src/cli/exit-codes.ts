/**
 * The exit codes of every command, distinct where a script must tell them
 * apart: a grader separates "the student slipped" (1) from "the exercise
 * itself cannot be computed" (3) and from a mistyped command (2).
 */
export const EXIT = {
  /** Success; for `check`, every hand value agrees. */
  ok: 0,
  /** `check`: at least one hand value disagrees with the exact solution. */
  wrongClaim: 1,
  /** Bad input or usage: a file, a flag, a value; the message names which. */
  input: 2,
  /** The computation failed: NaN or infinity in an exercise, or training diverged. */
  numeric: 3,
} as const;
