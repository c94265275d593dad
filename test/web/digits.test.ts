import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launch, openPage, pageErrors, screenshot, serve, type Served, until, dataOf } from "./harness.js";

/**
 * The Train tab's images trainer in a real headless Chromium, served by
 * `gradstep serve` (cross-origin isolated): the built-in digits train in a
 * Web Worker with the trainer of `gradstep train`, its products split with a
 * second worker; the curves, confusion matrix, misclassified images and the
 * drawing's probabilities follow, and the page keeps drawing frames.
 */

const TIMEOUT = 240_000;
let server: Served;
let browser: Browser;

beforeAll(async () => {
  server = await serve();
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser.close();
  server.process.kill();
});

/** Opens the images trainer and waits for its worker's first word. */
async function openDigits(page: Page): Promise<void> {
  await page.click("#tab-train");
  await page.check("#train-mode input[value=images]");
  await until(async () => (await dataOf(page, "#digits-network", "threads")) !== null);
}

/** Starts recording the time between animation frames (in the page, as a user would see them). */
const recordFrames = (page: Page) =>
  page.evaluate(`(() => {
    window.frameGaps = [];
    let last = performance.now();
    const tick = (now) => { window.frameGaps.push(now - last); last = now; if (window.frameGaps.length < 100000) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Draws a polyline on the pad with the mouse, in the pad's 0…1 coordinates. */
async function draw(page: Page, points: readonly (readonly [number, number])[]): Promise<void> {
  await page.locator("#digits-pad").scrollIntoViewIfNeeded();
  const box = (await page.locator("#digits-pad").boundingBox())!;
  const at = ([x, y]: readonly [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(points[0]!));
  await page.mouse.down();
  for (const point of points.slice(1)) await page.mouse.move(...at(point), { steps: 8 });
  await page.mouse.up();
}

const probabilities = (page: Page): Promise<number[]> =>
  page
    .locator("#digits-probabilities li")
    .evaluateAll((items: { getAttribute(name: string): string | null }[]) => items.map((li) => Number(li.getAttribute("data-probability"))));

describe("the images trainer", { timeout: TIMEOUT }, () => {
  test("trains the built-in digits on two threads while the page keeps its frame rate; the views follow", async () => {
    const page = await openPage(browser, server.url);
    await openDigits(page);
    expect(await page.evaluate("crossOriginIsolated")).toBe(true);
    expect(await dataOf(page, "#digits-network", "threads")).toBe("2");
    expect(await dataOf(page, "#digits-network", "route")).toBe("relaxed");
    expect(await dataOf(page, "#digits-network", "train-count")).toBe("8000");
    expect(await dataOf(page, "#digits-network", "test-count")).toBe("2000");
    // The training worker, and the product worker it started for the second thread.
    const workers = page.workers().map((w) => w.url());
    expect(workers.some((url) => url.includes("digits-worker"))).toBe(true);
    expect(workers.some((url) => url.includes("product-worker"))).toBe(true);

    await recordFrames(page);
    const started = Date.now();
    await page.click("#digits-run");
    await until(async () => Number(await dataOf(page, "#digits-stats", "epoch")) >= 3, 150_000);
    const seconds = (Date.now() - started) / 1000;
    const gaps = await page.evaluate<number[]>("window.frameGaps");
    const p95 = percentile(gaps, 95),
      p50 = percentile(gaps, 50);
    const accuracy = Number(await dataOf(page, "#digits-stats", "test-accuracy"));
    const speed = Number(await dataOf(page, "#digits-stats", "samples-per-second"));
    console.log(
      `digits, 2 threads: 3 epochs in ${seconds.toFixed(1)} s, ${speed} samples/s, test accuracy ${(accuracy * 100).toFixed(1)}%; frame gaps over ${gaps.length} frames: median ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...gaps).toFixed(1)} ms`,
    );
    expect(accuracy).toBeGreaterThan(0.85);
    expect(p95).toBeLessThan(50);
    await page.click("#digits-run");
    expect(await page.getAttribute("#digits-run", "aria-pressed")).toBe("false");

    // Pausing waits for the epoch under way; then the count stays.
    await until(async () => (await page.textContent("#digits-run")) === "▶ Train");
    const epochs = await dataOf(page, "#digits-stats", "epoch");
    // The batch size and learning rate change without starting again.
    await page.selectOption("#digits-batch", "64");
    await page.fill("#digits-rate", "0.0005");
    await page.press("#digits-rate", "Enter");
    await until(async () => (await page.textContent("#digits-network"))!.includes("Adam (learning rate 0.0005) on batches of 64"));
    await page.waitForTimeout(300);
    expect(await dataOf(page, "#digits-stats", "epoch")).toBe(epochs);

    // The confusion matrix counts every test image once; its diagonal is the accuracy the trainer reported.
    const cells = await page
      .locator("#digits-confusion td")
      .evaluateAll((tds: { getAttribute(name: string): string | null; className: string }[]) =>
        tds.map((td) => ({ count: Number(td.getAttribute("data-count")), diagonal: td.className === "diagonal" })),
      );
    expect(cells).toHaveLength(100);
    const total = cells.reduce((sum, c) => sum + c.count, 0),
      right = cells.filter((c) => c.diagonal).reduce((sum, c) => sum + c.count, 0);
    expect(total).toBe(2000);
    expect(right / total).toBeCloseTo(Number(await dataOf(page, "#digits-stats", "test-accuracy")), 10);

    // Misclassified test images, each with a true class other than its prediction.
    const mistakes = await page
      .locator("#digits-mistakes .mistake")
      .evaluateAll((figures: { getAttribute(name: string): string | null }[]) =>
        figures.map((f) => [f.getAttribute("data-label"), f.getAttribute("data-predicted")]),
      );
    expect(mistakes.length).toBeGreaterThan(0);
    expect(mistakes.length).toBeLessThanOrEqual(24);
    for (const [label, predicted] of mistakes) expect(label).not.toBe(predicted);
    expect(mistakes.length).toBeLessThanOrEqual(total - right);

    // Drawing: probabilities appear, sum to 1, and change with the drawing.
    expect((await probabilities(page)).every((p) => p === 0)).toBe(true);
    await draw(page, [
      [0.5, 0.15],
      [0.52, 0.5],
      [0.5, 0.85],
    ]);
    await until(async () => (await probabilities(page)).some((p) => p > 0));
    const one = await probabilities(page);
    expect(one.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    await screenshot(page, "digits-one");
    await page.click("#digits-pad-clear");
    await draw(page, [
      [0.5, 0.15],
      [0.3, 0.3],
      [0.28, 0.6],
      [0.5, 0.85],
      [0.7, 0.6],
      [0.7, 0.3],
      [0.5, 0.15],
    ]);
    await until(async () => JSON.stringify(await probabilities(page)) !== JSON.stringify(one));
    const zero = await probabilities(page);
    expect(zero.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    console.log(`drawn "1": ${one.map((p) => p.toFixed(3)).join(" ")}\ndrawn "0": ${zero.map((p) => p.toFixed(3)).join(" ")}`);
    await screenshot(page, "digits-trained");
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test("one thread and two give the same epoch bit for bit; the figures say how fast each is", async () => {
    const page = await openPage(browser, server.url);
    await openDigits(page);
    const runEpoch = async (threads: string) => {
      await page.selectOption("#digits-threads", threads);
      await until(async () => (await dataOf(page, "#digits-network", "threads")) === threads && !(await page.isDisabled("#digits-run")));
      if ((await page.getAttribute("#digits-run", "aria-pressed")) === "false") await page.click("#digits-run");
      await until(async () => (await dataOf(page, "#digits-stats", "first-test-loss")) !== null, 60_000);
      await page.click("#digits-run");
      return { loss: await dataOf(page, "#digits-stats", "first-test-loss"), speed: Number(await dataOf(page, "#digits-stats", "samples-per-second")) };
    };
    const two = await runEpoch("2");
    const one = await runEpoch("1");
    console.log(`digits, first epoch: ${one.speed} samples/s on 1 thread, ${two.speed} samples/s on 2 threads`);
    expect(one.loss).toBe(two.loss);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  const FASHION = "/usr/share/datasets/fashion-mnist";
  test.runIf(existsSync(FASHION))("trains Fashion-MNIST from the four files the user gives, with its class names", async () => {
    const page = await openPage(browser, server.url);
    await openDigits(page);
    await page.selectOption("#digits-source", "files");
    expect(await page.isVisible("#digits-drop")).toBe(true);
    // In an order of their own: the page tells the files apart by their contents.
    await page.setInputFiles(
      "#digits-files",
      ["t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"].map((name) => join(FASHION, name)),
    );
    await until(async () => (await dataOf(page, "#digits-network", "train-count")) === "60000");
    expect(await dataOf(page, "#digits-network", "test-count")).toBe("10000");
    expect(await dataOf(page, "#digits-network", "threads")).toBe("2");
    await page.click("#digits-run");
    await until(async () => Number(await dataOf(page, "#digits-stats", "epoch")) >= 1, 120_000);
    await page.click("#digits-run");
    const accuracy = Number(await dataOf(page, "#digits-stats", "test-accuracy"));
    console.log(
      `fashion-mnist, 2 threads: one epoch, ${await dataOf(page, "#digits-stats", "samples-per-second")} samples/s, test accuracy ${(accuracy * 100).toFixed(1)}%`,
    );
    expect(accuracy).toBeGreaterThan(0.75);
    const counts = await page
      .locator("#digits-confusion td")
      .evaluateAll((tds: { getAttribute(name: string): string | null }[]) => tds.map((td) => Number(td.getAttribute("data-count"))));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10000);
    expect(await page.locator("#digits-confusion thead th[title='Ankle boot']").count()).toBe(1);
    expect(await page.locator("#digits-mistakes .mistake").count()).toBeGreaterThan(0);
    await screenshot(page, "fashion-trained");
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test("in dark mode on a phone, the images trainer fits the screen's width", async () => {
    const page = await openPage(browser, server.url, { width: 390, height: 844, dark: true });
    await openDigits(page);
    await page.click("#digits-run");
    await until(async () => Number(await dataOf(page, "#digits-stats", "epoch")) >= 1, 120_000);
    await page.click("#digits-run");
    await draw(page, [
      [0.3, 0.2],
      [0.7, 0.2],
      [0.4, 0.85],
    ]);
    await until(async () => (await probabilities(page)).some((p) => p > 0));
    expect(await page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")).toBe(true);
    await screenshot(page, "digits-phone-dark");
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test("IDX files dropped on the trainer's zone train, and the page does not take them for a problem file", async () => {
    const page = await openPage(browser, server.url);
    await openDigits(page);
    await page.selectOption("#digits-source", "files");
    // Four small files in the MNIST layout, made in the page: 60 training and 20 test images, one of them gzipped.
    await page.evaluate(`(async () => {
      const idx = (dims, values) => {
        const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
        header.setUint32(0, 0x800 + dims.length);
        dims.forEach((size, i) => header.setUint32(4 + 4 * i, size));
        return new Uint8Array([...new Uint8Array(header.buffer), ...values]);
      };
      const pixels = (n) => Array.from({ length: n * 784 }, (_, k) => (k * 37) % 256);
      const labels = (n) => Array.from({ length: n }, (_, k) => k % 10);
      const gzip = async (bytes) => new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
      const files = [
        new File([await gzip(idx([60, 28, 28], pixels(60)))], "train-images-idx3-ubyte.gz"),
        new File([idx([60], labels(60))], "train-labels-idx1-ubyte"),
        new File([idx([20, 28, 28], pixels(20))], "t10k-images-idx3-ubyte"),
        new File([idx([20], labels(20))], "t10k-labels-idx1-ubyte"),
      ];
      const transfer = new DataTransfer();
      for (const file of files) transfer.items.add(file);
      const zone = document.getElementById("digits-drop");
      for (const type of ["dragenter", "dragover", "drop"]) zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    })()`);
    await until(async () => (await dataOf(page, "#digits-network", "train-count")) === "60");
    expect(await dataOf(page, "#digits-network", "test-count")).toBe("20");
    expect(await page.evaluate("document.body.classList.contains('dragging')")).toBe(false);
    expect(await page.isVisible("#notice")).toBe(false);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });
});
