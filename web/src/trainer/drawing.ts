/**
 * A drawing made like an MNIST digit (LeCun et al.: each digit's bounding box
 * scaled to fit 20×20 pixels, keeping its aspect ratio, with area averaging
 * to grey levels, then placed in a 28×28 field so that its centre of mass
 * lies at the centre). Plain numbers, no DOM.
 */

export const SIDE = 28;
const BOX = 20;

/**
 * `ink` (size × size, row by row, each in [0, 1]) as the 784 inputs of an
 * MNIST network (0 background, 1 full ink). An empty drawing gives zeros.
 *
 * @example preprocessDrawing(new Float32Array(280 * 280), 280).every((v) => v === 0) // true
 */
export function preprocessDrawing(ink: ArrayLike<number>, size: number): Float32Array {
  const out = new Float32Array(SIDE * SIDE);
  let left = size,
    right = -1,
    top = size,
    bottom = -1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (ink[y * size + x]! <= 0) continue;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  if (right < 0) return out;
  const width = right - left + 1,
    height = bottom - top + 1;
  const scale = BOX / Math.max(width, height);
  // Each source pixel adds its ink, weighted by its area in the small image, to the pixel it falls in: area averaging.
  const offsetX = (SIDE - width * scale) / 2,
    offsetY = (SIDE - height * scale) / 2;
  const small = new Float32Array(SIDE * SIDE);
  for (let y = top; y <= bottom; y++) {
    const v = Math.min(SIDE - 1, Math.floor(offsetY + (y - top + 0.5) * scale));
    for (let x = left; x <= right; x++) {
      const value = ink[y * size + x]!;
      if (value <= 0) continue;
      const u = Math.min(SIDE - 1, Math.floor(offsetX + (x - left + 0.5) * scale));
      small[v * SIDE + u]! += value * scale * scale;
    }
  }
  // Shift by whole pixels so that the centre of mass is the field's centre.
  let mass = 0,
    sumX = 0,
    sumY = 0;
  for (let v = 0; v < SIDE; v++) {
    for (let u = 0; u < SIDE; u++) {
      const m = Math.min(1, small[v * SIDE + u]!);
      mass += m;
      sumX += m * (u + 0.5);
      sumY += m * (v + 0.5);
    }
  }
  const dx = Math.round(SIDE / 2 - sumX / mass),
    dy = Math.round(SIDE / 2 - sumY / mass);
  for (let v = 0; v < SIDE; v++) {
    for (let u = 0; u < SIDE; u++) {
      const tu = u + dx,
        tv = v + dy;
      if (tu >= 0 && tu < SIDE && tv >= 0 && tv < SIDE) out[tv * SIDE + tu] = Math.min(1, small[v * SIDE + u]!);
    }
  }
  return out;
}

/** The centre of mass (x, y) of a 28×28 image, in pixels from its top left corner. */
export function centreOfMass(image: ArrayLike<number>): { x: number; y: number } {
  let mass = 0,
    x = 0,
    y = 0;
  for (let v = 0; v < SIDE; v++) {
    for (let u = 0; u < SIDE; u++) {
      const m = image[v * SIDE + u]!;
      mass += m;
      x += m * (u + 0.5);
      y += m * (v + 0.5);
    }
  }
  return mass === 0 ? { x: SIDE / 2, y: SIDE / 2 } : { x: x / mass, y: y / mass };
}
