/** What the trainer's plots share: the page's colours, and canvases drawn sharp at the screen's pixel ratio. */

/** A CSS custom property of the page (its colour scheme's), or `fallback`. */
export function cssColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value === "" ? fallback : value;
}

/** A canvas sized to its box on screen, in device pixels; returns its context and CSS size. */
export function fitted(canvas: HTMLCanvasElement): { g: CanvasRenderingContext2D; width: number; height: number } | undefined {
  const width = canvas.clientWidth,
    height = canvas.clientHeight;
  const g = canvas.getContext("2d");
  if (!g || width === 0 || height === 0) return undefined;
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { g, width, height };
}
