/**
 * What a classifier got right and wrong on held-out data: the confusion
 * matrix and the samples it misclassified: what gradstep eval prints and the
 * page's Train tab shows. Plain numbers.
 */

/**
 * counts[t·classes + p]: how many samples of true class t were predicted as
 * class p (rows are the truth, columns the prediction). It sums to the
 * number of samples; its diagonal sums to the number classified right.
 *
 * @example confusionMatrix([0, 1, 1], [0, 0, 1], 2) // Int32Array [1, 0, 1, 1]
 */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): Int32Array {
  if (labels.length !== predicted.length) throw new RangeError(`confusionMatrix: ${labels.length} labels but ${predicted.length} predictions`);
  const counts = new Int32Array(classes * classes);
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i]!,
      p = predicted[i]!;
    if (!(t >= 0 && t < classes && p >= 0 && p < classes)) throw new RangeError(`confusionMatrix: sample ${i} has class ${t} → ${p}, outside 0…${classes - 1}`);
    counts[t * classes + p]!++;
  }
  return counts;
}

/** The share of samples on the diagonal. */
export function accuracyOf(counts: Int32Array, classes: number): number {
  let right = 0,
    all = 0;
  for (let t = 0; t < classes; t++) {
    for (let p = 0; p < classes; p++) all += counts[t * classes + p]!;
    right += counts[t * classes + t]!;
  }
  return all === 0 ? 0 : right / all;
}

/**
 * The indices of up to `limit` misclassified samples, in order.
 *
 * @example misclassified([3, 1, 4, 1], [3, 7, 4, 2], 5) // [1, 3]
 */
export function misclassified(labels: ArrayLike<number>, predicted: ArrayLike<number>, limit: number): number[] {
  const found: number[] = [];
  for (let i = 0; i < labels.length && found.length < limit; i++) if (labels[i] !== predicted[i]) found.push(i);
  return found;
}
