/**
 * The trace of a solved problem, exactly as ../shared/PROBLEM-FORMAT.md lays
 * it out: every intermediate value of every step, as plain JSON numbers.
 */
/** A matrix as rows of plain numbers. */
export type Grid = number[][];

/** A bias as written: an array per neuron, a number when shared, null when absent. */
export type WrittenBias = number[] | number | null;

export interface ForwardEntry {
  z: Grid;
  a: Grid;
}

export interface BackwardEntry {
  da: Grid;
  dz: Grid;
  weights: Grid;
  bias: WrittenBias;
}

export interface ParameterEntry {
  weights: Grid;
  bias: WrittenBias;
}

export interface TraceStep {
  step: number;
  forward: ForwardEntry[];
  losses: number[];
  loss: number;
  backward: BackwardEntry[];
  inputGradients?: Grid;
  updated?: ParameterEntry[];
}

export interface TraceFinal {
  forward: ForwardEntry[];
  losses: number[];
  loss: number;
}

export interface Trace {
  steps: TraceStep[];
  final?: TraceFinal;
}
