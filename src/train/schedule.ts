export const SCHEDULES = ["constant", "step", "cosine"] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

/** How the learning rate changes over epochs. */
export interface Schedule {
  readonly name: ScheduleName;
  /** For `step`: multiply by `factor` every `every` epochs (defaults 0.5 and 3). */
  readonly every?: number;
  readonly factor?: number;
}

/** The learning rate of a (0-based) epoch: constant, step decay, or cosine annealing to 0 at the last epoch. */
export function learningRateAt(base: number, schedule: Schedule, epoch: number, epochs: number): number {
  switch (schedule.name) {
    case "constant":
      return base;
    case "step":
      return base * (schedule.factor ?? 0.5) ** Math.floor(epoch / (schedule.every ?? 3));
    case "cosine":
      return base * 0.5 * (1 + Math.cos((Math.PI * epoch) / Math.max(1, epochs)));
  }
}
