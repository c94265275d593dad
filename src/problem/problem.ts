import type { LossName, Reduction } from "../engine/losses.js";
import type { Rows } from "../engine/matrix.js";
import type { NetworkSpec } from "../engine/network.js";

/** A validated exercise: every shape agrees, every number is finite, every default filled in. */
export interface Problem {
  readonly title?: string;
  readonly network: NetworkSpec;
  readonly loss: { readonly type: LossName; readonly reduction: Reduction };
  readonly data: {
    /** batch × network.inputs. */
    readonly inputs: Rows;
    /** batch × units of the last layer. */
    readonly targets: Rows;
  };
  readonly training: {
    readonly optimizer: "sgd";
    /** Absent only when `steps` is 0. */
    readonly learningRate?: number | undefined;
    readonly steps: number;
  };
  readonly report: { readonly inputGradients: boolean };
  /** The exercise's own names for its quantities, where it gives them. */
  readonly notation?: NotationSpec;
}

/** Names a problem file may give, in its textbook's own notation; any may be left out. */
export interface NotationSpec {
  readonly loss?: string | undefined;
  readonly learningRate?: string | undefined;
  readonly inputs?: readonly string[] | undefined;
  readonly targets?: readonly string[] | undefined;
  readonly layers?:
    | readonly {
        readonly weights?: readonly (readonly string[])[] | undefined;
        readonly bias?: string | readonly string[] | undefined;
        readonly z?: readonly string[] | undefined;
        readonly a?: readonly string[] | undefined;
      }[]
    | undefined;
}
