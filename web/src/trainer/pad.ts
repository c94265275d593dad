import { h } from "../dom.js";
import { t } from "../words.js";
import { drawImage } from "./curves.js";
import { preprocessDrawing, SIDE } from "./drawing.js";

/**
 * A square to draw on with a mouse, pen or finger; after each stroke segment
 * it hands the drawing, made like an MNIST digit (drawing.ts), to `onInput`.
 */
export class DrawingPad {
  static readonly SIZE = 224;
  readonly canvas = h("canvas", {
    id: "digits-pad",
    width: DrawingPad.SIZE,
    height: DrawingPad.SIZE,
    role: "img",
    "aria-label": t().text("train.images.pad"),
  });
  /** What the network sees: the drawing as 28 × 28 inputs. */
  readonly preview = h("canvas", {
    id: "digits-pad-input",
    width: SIDE,
    height: SIDE,
    role: "img",
    "aria-label": t().text("train.images.padInput"),
  });
  readonly clear = h("button", { type: "button", id: "digits-pad-clear" }, t().text("page.clear"));
  private last: { x: number; y: number } | undefined;
  private pending: number | undefined;

  constructor(private readonly onInput: (input: Float32Array) => void) {
    const g = this.canvas.getContext("2d", { willReadFrequently: true })!;
    g.lineCap = g.lineJoin = "round";
    g.lineWidth = DrawingPad.SIZE / 12;
    this.canvas.addEventListener("pointerdown", (event) => {
      this.canvas.setPointerCapture(event.pointerId);
      this.last = this.point(event);
      this.stroke(this.last);
    });
    this.canvas.addEventListener("pointermove", (event) => {
      if (this.last) this.stroke(this.point(event));
    });
    for (const type of ["pointerup", "pointercancel"] as const) this.canvas.addEventListener(type, () => (this.last = undefined));
    this.clear.addEventListener("click", () => {
      g.clearRect(0, 0, DrawingPad.SIZE, DrawingPad.SIZE);
      this.changed();
    });
    drawImage(this.preview, new Uint8Array(SIDE * SIDE));
  }

  /** The pointer's position in canvas pixels. */
  private point(event: PointerEvent): { x: number; y: number } {
    const box = this.canvas.getBoundingClientRect();
    return { x: ((event.clientX - box.left) * DrawingPad.SIZE) / box.width, y: ((event.clientY - box.top) * DrawingPad.SIZE) / box.height };
  }

  private stroke(to: { x: number; y: number }): void {
    const g = this.canvas.getContext("2d")!;
    const from = this.last ?? to;
    g.strokeStyle = "#000";
    g.beginPath();
    g.moveTo(from.x, from.y);
    g.lineTo(to.x + 0.01, to.y);
    g.stroke();
    this.last = to;
    this.changed();
  }

  /** At most once a frame: the drawing's ink (its alpha), made like MNIST, to the preview and to `onInput`. */
  private changed(): void {
    if (this.pending !== undefined) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = undefined;
      const { data } = this.canvas.getContext("2d")!.getImageData(0, 0, DrawingPad.SIZE, DrawingPad.SIZE);
      const ink = new Float32Array(DrawingPad.SIZE * DrawingPad.SIZE);
      for (let k = 0; k < ink.length; k++) ink[k] = data[k * 4 + 3]! / 255;
      const input = preprocessDrawing(ink, DrawingPad.SIZE);
      drawImage(
        this.preview,
        input.map((v) => v * 255),
      );
      this.onInput(input);
    });
  }
}
