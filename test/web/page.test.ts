import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { buildSolution } from "../../src/explain/solution.js";
import { modelFromOnnx, modelFromText, problemOfModel } from "../../src/io/model-problem.js";
import { loadExample, readExample } from "../../src/problem/examples.js";
import type { InputError } from "../../src/input-error.js";
import { readProblemFragment } from "../../src/problem/link.js";
import { parseProblem } from "../../src/problem/parse.js";
import { problemFile } from "../../src/problem/to-file.js";
import { formatNumber, typographic } from "../../src/number-format.js";
import { renderSolutionText } from "../../src/render/solution-text.js";
import { matchTrace } from "../../src/solve/match.js";
import { solve } from "../../src/solve/solve.js";
import { gradstep } from "../cli.js";
import { expectShownMatch, launch, openPage, pageErrors, press, screenshot, serve, shownValues, valueAt, type Served, until } from "./harness.js";

/**
 * The interactive page in a real headless Chromium, served by `gradstep
 * serve` from the build in dist/. Every number the page shows is compared
 * with the engine's trace for the same problem.
 */

const BROWSER_TIMEOUT = 120_000;
let server: Served;
let browser: Browser;

beforeAll(async () => {
  server = await serve();
  browser = await launch();
}, BROWSER_TIMEOUT);

afterAll(async () => {
  await browser.close();
  server.process.kill();
});

const full = (value: number) => String(value).replace(/^-/, "−");
const text = async (page: Page, selector: string) => (await page.locator(selector).first().textContent()) ?? "";
const paths = async (page: Page) => (await shownValues(page)).map((v) => v.path);
/** The problem in the page's own URL. */
const problemInUrl = (page: Page) => parseProblem(readProblemFragment(new URL(page.url()).hash)!);
/**
 * Waits until `check` holds, asking through Playwright's locators: the page's
 * Content-Security-Policy forbids evaluating strings as script, which
 * page.waitForFunction does.
 */
const attribute = async (page: Page, selector: string, name: string) =>
  (await page.locator(selector).count()) > 0 ? await page.locator(selector).first().getAttribute(name) : null;
const waitForTitle = (page: Page, title: string) => until(async () => (await text(page, "#exercise-title")) === title);
const item = (kind: string, data: Record<string, number>) =>
  `g.item[data-kind="${kind}"]${Object.entries(data)
    .map(([k, v]) => `[data-${k}="${v}"]`)
    .join("")}`;

async function done(page: Page): Promise<void> {
  expect(pageErrors(page)).toEqual([]);
  await page.context().close();
}

describe("the page", { timeout: BROWSER_TIMEOUT }, () => {
  test("opens a built-in exercise; stepping forward and backward shows the values of solve()'s trace", async () => {
    const page = await openPage(browser, server.url);
    const name = "seed-001-sigmoid-batch2-shared-bias";
    await page.selectOption("#example", name);
    const problem = loadExample(name);
    const trace = solve(problem);
    expect(await text(page, "#exercise-title")).toBe(problem.title);

    // The start: only given values, nothing computed.
    expect((await paths(page)).some((p) => p.startsWith("steps"))).toBe(false);
    expectShownMatch(await shownValues(page), problem, trace);

    await page.click("#step-forward");
    let shown = await paths(page);
    expect(shown).toContain("steps[0].forward[0].z[0][0]");
    expect(shown.some((p) => p.startsWith("steps[0].forward[1]"))).toBe(false);
    expectShownMatch(await shownValues(page), problem, trace);

    await page.click("#step-forward");
    await page.click("#step-forward");
    expect(await paths(page)).toContain("steps[0].loss");
    expect(await page.isDisabled("#step-forward")).toBe(true);
    await page.click("#step-backward");
    shown = await paths(page);
    expect(shown).toContain("steps[0].backward[1].dz[0][0]");
    expect(shown).toContain("steps[0].backward[1].weights[0][0]");
    expect(shown.some((p) => p.startsWith("steps[0].backward[0]"))).toBe(false);
    await page.click("#step-backward");
    expect(await paths(page)).toContain("steps[0].backward[0].bias");
    expectShownMatch(await shownValues(page), problem, trace);

    // The second sample of the batch.
    await page.click('#samples button[data-sample="1"]');
    expect(await paths(page)).toContain("steps[0].forward[0].a[1][0]");
    expectShownMatch(await shownValues(page), problem, trace);

    await page.click("#step-update");
    expect(await paths(page)).toContain("steps[0].updated[1].weights[0][1]");
    expectShownMatch(await shownValues(page), problem, trace);
    await page.click("#step-next-step");
    await press(page, "f", 3);
    expect(await paths(page)).toContain("final.loss");
    expectShownMatch(await shownValues(page), problem, trace);

    // Hover or focus shows a value in full precision.
    await page.locator(item("neuron", { layer: 1, j: 0 })).focus();
    expect(await text(page, "#readout")).toContain(full(trace.final!.forward[1]!.a[1]![0]!));
    await screenshot(page, "exercise-batch-final");

    await page.click("#step-back");
    await page.click("#step-reset");
    expect((await paths(page)).some((p) => p.startsWith("steps"))).toBe(false);
    await done(page);
  });

  test("editing a weight recomputes everything downstream", async () => {
    const page = await openPage(browser, server.url);
    await press(page, "f", 3);
    const file = readExample("seed-004-sigmoid-3-2-2-shared-bias").file as { network: { layers: { weights: number[][] }[] } };
    const before = solve(parseProblem(file));
    const output = item("neuron", { layer: 1, j: 0 });
    await page.click(`${item("weight", { layer: 1, j: 0, i: 0 })} .label`);
    await page.fill("input.inline-editor", "-0.5");
    await page.keyboard.press("Enter");

    file.network.layers[1]!.weights[0]![0] = -0.5;
    const edited = parseProblem(file);
    const after = solve(edited);
    expect(after.steps[0]!.forward[1]!.a[0]![0]).not.toBe(before.steps[0]!.forward[1]!.a[0]![0]);
    expectShownMatch(await shownValues(page), edited, after);
    expect(await page.locator(`${output} [data-path="steps[0].forward[1].a[0][0]"]`).textContent()).toBe(
      typographic(formatNumber(after.steps[0]!.forward[1]!.a[0]![0]!, 4)),
    );
    expect(problemInUrl(page).network.layers[1]!.weights[0]![0]).toBe(-0.5);
    // The learning rate is edited the same way, and the update follows it.
    await page.click(item("eta", {}));
    await page.fill("input.inline-editor", "0.5");
    await page.keyboard.press("Enter");
    await press(page, "b", 2);
    await press(page, "u");
    const faster = solve(problemInUrl(page));
    expect(problemInUrl(page).training.learningRate).toBe(0.5);
    expectShownMatch(await shownValues(page), problemInUrl(page), faster);
    await screenshot(page, "exercise-edited-update");
    await done(page);
  });

  test("selecting a neuron or a weight shows its derivation, typeset, in the exercise's notation", async () => {
    const page = await openPage(browser, server.url);
    const trace = solve(loadExample("seed-004-sigmoid-3-2-2-shared-bias"));
    await press(page, "f", 3);
    await press(page, "b");
    await page.click(item("neuron", { layer: 1, j: 0 }));
    const figure = page.locator('#inspector figure[data-path="steps[0].backward[1].dz[0][0]"]');
    expect(await figure.locator("figcaption").textContent()).toBe(`∂E/∂zₒ₁ = ${full(trace.steps[0]!.backward[1]!.dz[0]![0]!)}`);
    expect(await figure.locator(".katex").count()).toBeGreaterThan(0);
    expect(await figure.locator('annotation[encoding="application/x-tex"]').textContent()).toContain("\\frac{\\partial E}{\\partial z_{o1}}");

    await page.click(`${item("weight", { layer: 1, j: 0, i: 0 })} .label`);
    await page.keyboard.press("Escape");
    expect(await text(page, "#inspected-title")).toContain("w₇");
    const gradient = page.locator('#inspector figure[data-path="steps[0].backward[1].weights[0][0]"]');
    expect(await gradient.locator("figcaption").textContent()).toBe(`∂E/∂w₇ = ${full(trace.steps[0]!.backward[1]!.weights[0]![0]!)}`);
    expect(await gradient.locator('annotation[encoding="application/x-tex"]').textContent()).toContain(
      "(0.8896 - 0.1) \\cdot 0.8896 \\cdot (1 - 0.8896) \\cdot 0.9866",
    );
    const update = page.locator('#inspector figure[data-path="steps[0].updated[1].weights[0][0]"]');
    expect(await update.locator("figcaption").textContent()).toBe(`w₇ = ${full(trace.steps[0]!.updated![1]!.weights[0]![0]!)}`);
    await screenshot(page, "exercise-derivation");
    await done(page);
  });

  test("loads a problem file (picker and drag-and-drop) and shows the parser's message for a bad one", async () => {
    const page = await openPage(browser, server.url);
    const yaml = stringify({
      title: "Two inputs, tanh",
      network: {
        inputs: 2,
        layers: [
          {
            units: 2,
            activation: "tanh",
            weights: [
              [0.5, -1],
              [1.5, 0.25],
            ],
            bias: [0.1, -0.2],
          },
          { units: 1, activation: "identity", weights: [[1, -1]], bias: false },
        ],
      },
      loss: { type: "mse" },
      data: { inputs: [[1, 2]], targets: [[0.5]] },
      training: { learningRate: 0.1, steps: 2 },
    });
    await page.setInputFiles("#file-input", { name: "tanh.yaml", mimeType: "application/yaml", buffer: Buffer.from(yaml) });
    await waitForTitle(page, "Two inputs, tanh");
    const problem = parseProblem(yaml);
    await press(page, "f", 3);
    await press(page, "b", 2);
    expectShownMatch(await shownValues(page), problem, solve(problem));

    const bad = readFileSync(new URL("../../examples/seed-000-relu-2-2-1.json", import.meta.url), "utf8").replace('"activation"', '"activaton"');
    const message = (() => {
      try {
        parseProblem(bad, { file: "bad.json" });
        return "";
      } catch (error) {
        return (error as InputError).message;
      }
    })();
    expect(message).toMatch(/^bad\.json:\d+:\d+: network\.layers\[0\]\.activaton: unknown field/);
    await page.setInputFiles("#file-input", { name: "bad.json", mimeType: "application/json", buffer: Buffer.from(bad) });
    await page.waitForSelector("#notice.error:not([hidden])");
    expect(await text(page, "#notice-text")).toBe(message);
    // The exercise on screen is still the good one.
    expect(await text(page, "#exercise-title")).toBe("Two inputs, tanh");

    const dropped = readFileSync(new URL("../../examples/seed-000-relu-2-2-1.json", import.meta.url), "utf8");
    const transfer = await page.evaluateHandle(
      `(() => { const t = new DataTransfer(); t.items.add(new File([${JSON.stringify(dropped)}], "dropped.json", { type: "application/json" })); return t; })()`,
    );
    await page.dispatchEvent("body", "drop", { dataTransfer: transfer });
    await waitForTitle(page, loadExample("seed-000-relu-2-2-1").title!);
    expect(await text(page, "#notice-text")).toBe("Opened dropped.json.");
    await done(page);
  });

  test("opens model files: a gradstep model with inline weights and an ONNX model", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradstep-page-models-"));
    const model = join(dir, "exercise.json"),
      onnx = join(dir, "exercise.onnx");
    const source = fileURLToPath(new URL("../../examples/seed-004-sigmoid-3-2-2-shared-bias.json", import.meta.url));
    expect(gradstep(["export", source, "--model", model]).status).toBe(0);
    expect(gradstep(["export", model, "--onnx", onnx]).status).toBe(0);
    const page = await openPage(browser, server.url);
    for (const [file, name, mimeType] of [
      [model, "exercise.json", "application/json"],
      [onnx, "exercise.onnx", "application/octet-stream"],
    ] as const) {
      await page.setInputFiles("#file-input", { name, mimeType, buffer: readFileSync(file) });
      await until(async () => (await text(page, "#notice-text")).includes(name));
      const problem = name.endsWith(".onnx")
        ? problemOfModel(modelFromOnnx(readFileSync(file), name), name)
        : problemOfModel(modelFromText(readFileSync(file, "utf8"), name), name);
      await waitForTitle(page, problem.title!);
      await press(page, "f", 2);
      await press(page, "b", 2);
      expectShownMatch(await shownValues(page), problem, solve(problem));
    }
    await done(page);
  });

  test("the URL holds the problem: a shared link opens the same exercise in a fresh page", async () => {
    const linked = await serve(["--example", "seed-003-relu-1-2-2-1-two-steps"]);
    try {
      const page = await openPage(browser, linked.url);
      const problem = loadExample("seed-003-relu-1-2-2-1-two-steps");
      expect(await text(page, "#exercise-title")).toBe(problem.title);
      await page.click(item("bias", { layer: 2, j: 0 }));
      await page.fill("input.inline-editor", "0.75");
      await page.keyboard.press("Enter");
      await press(page, "f", 4);
      const shared = page.url();
      const fresh = await openPage(browser, shared);
      await press(fresh, "f", 4);
      expect(await text(fresh, "#exercise-title")).toBe(problem.title);
      expect(await shownValues(fresh)).toEqual(await shownValues(page));
      const restored = problemInUrl(fresh);
      expect(restored.network.layers[2]!.bias).toEqual({ mode: "perNeuron", values: [0.75] });
      expect(JSON.stringify(problemFile(restored))).toBe(JSON.stringify(problemFile(problemInUrl(page))));
      expect(restored.notation).toEqual(problem.notation);
      expectShownMatch(await shownValues(fresh), restored, solve(restored));
      await done(fresh);
      await done(page);
    } finally {
      linked.process.kill();
    }
  });

  test("check my work: a wrong value is marked wrong with the checker's explanation, a right one right", async () => {
    const page = await openPage(browser, server.url);
    const trace = solve(loadExample("seed-004-sigmoid-3-2-2-shared-bias"));
    await page.click("#tab-check");
    const dw7 = trace.steps[0]!.backward[1]!.weights[0]![0]!;
    await page.fill('#checker input[data-path="steps[0].backward[1].weights[0][0]"]', (-dw7).toFixed(4));
    await page.fill('#checker input[data-path="steps[0].forward[0].a[0][0]"]', "0.9866");
    await page.click("#checker button.primary");
    const wrong = await text(page, '#checker td.verdict[data-path="steps[0].backward[1].weights[0][0]"]');
    expect(wrong).toContain("✗ Wrong");
    expect(wrong).toContain("the sign is wrong");
    expect(await page.locator('#checker td.verdict[data-path="steps[0].backward[1].weights[0][0]"] .katex').count()).toBeGreaterThan(0);
    expect(await text(page, '#checker td.verdict[data-path="steps[0].forward[0].a[0][0]"]')).toContain("✓ Right");
    expect(await text(page, "#checker .summary")).toBe("1 of 2 right.");

    // The exercise's own hand values, and one value checked from the derivation panel.
    await page.click("#checker button:has-text('hand values in this exercise')");
    expect(await page.locator("#checker ol.claims li").count()).toBeGreaterThan(0);
    await page.click("#tab-derivation");
    await page.click(item("neuron", { layer: 0, j: 1 }));
    await page.selectOption("#check-quantity", { label: "h₂" });
    await page.fill("#check-value", "0.9905");
    await page.click(".check-one button");
    expect(await text(page, "#check-result")).toContain("✗ Wrong: you wrote 0.9905; the value is 0.99503");
    await screenshot(page, "check-my-work");
    await done(page);
  });

  test("works from the keyboard alone: stepping, selecting and editing", async () => {
    const page = await openPage(browser, server.url);
    await press(page, "f");
    expect(await text(page, "#phase")).toContain("forward pass, layer 1 of 2");
    let focused = "";
    for (let k = 0; k < 60 && focused !== "weight"; k++) {
      await page.keyboard.press("Tab");
      focused = (await page.locator(":focus").getAttribute("data-kind")) ?? "";
    }
    expect(focused).toBe("weight");
    const weight = page.locator(":focus");
    const where = {
      layer: Number(await weight.getAttribute("data-layer")),
      j: Number(await weight.getAttribute("data-j")),
      i: Number(await weight.getAttribute("data-i")),
    };
    await page.keyboard.press("Enter");
    expect(await page.locator(":focus").getAttribute("class")).toBe("inline-editor");
    await page.keyboard.type("0.25", { delay: 10 });
    await page.keyboard.press("Enter");
    // Focus is back on the same connection, which now carries the new weight.
    expect(await page.locator(":focus").getAttribute("data-kind")).toBe("weight");
    expect(await page.locator(":focus").getAttribute("data-j")).toBe(String(where.j));
    expect(problemInUrl(page).network.layers[where.layer]!.weights[where.j]![where.i]).toBe(0.25);
    expect(await text(page, "#inspected-title")).toContain("Weight");
    await press(page, "f", 2);
    await press(page, "b");
    expect(await text(page, "#phase")).toContain("backward pass, output layer");
    await press(page, "ArrowLeft");
    expect(await text(page, "#phase")).toContain("the loss");
    await press(page, "r");
    expect(await text(page, "#phase")).toContain("nothing computed yet");
    // Every part of the diagram has an accessible name.
    const unnamed = await page.locator("#diagram g.item:not([aria-label])").count();
    expect(unnamed).toBe(0);
    await done(page);
  });

  test("downloads the problem file and the worked solution in the CLI's formats", async () => {
    const page = await openPage(browser, server.url);
    const problem = loadExample("seed-004-sigmoid-3-2-2-shared-bias");
    const trace = solve(problem);
    await page.click("#tab-export");
    const download = async (id: string) => {
      const [file] = await Promise.all([page.waitForEvent("download"), page.click(`#download-${id}`)]);
      return { name: file.suggestedFilename(), content: readFileSync(await file.path()) };
    };
    const text_ = await download("text");
    expect(text_.name).toMatch(/-solution\.txt$/);
    expect(text_.content.toString("utf8")).toBe(renderSolutionText(buildSolution(problem, trace), { decimals: 4, color: false, width: 100 }));
    const xlsx = await download("xlsx");
    expect(xlsx.name).toMatch(/\.xlsx$/);
    expect(xlsx.content.subarray(0, 2).toString("latin1")).toBe("PK");
    const json = await download("problem-json");
    expect(matchTrace(solve(parseProblem(json.content.toString("utf8"))), trace)).toEqual([]);
    const latex = await download("latex");
    expect(latex.content.toString("utf8")).toContain("\\begin{document}");
    await done(page);
  });

  test("builds a network in the page: neurons, layers, activations, loss", async () => {
    const page = await openPage(browser, server.url);
    await page.click("#tab-build");
    await page.click('[data-control="layer-0-units-more"]');
    expect(problemInUrl(page).network.layers[0]!.units).toBe(3);
    await page.click('[data-control="layer-last-add"]');
    expect(problemInUrl(page).network.layers.map((l) => l.units)).toEqual([3, 2, 2]);
    await page.selectOption('[data-control="loss"]', "cross_entropy");
    expect(problemInUrl(page).network.layers.at(-1)!.activation).toBe("softmax");
    await page.selectOption('[data-control="layer-1-bias"]', "shared");
    expect(problemInUrl(page).network.layers[1]!.bias.mode).toBe("shared");
    await press(page, "f", 4);
    await press(page, "b", 3);
    const problem = problemInUrl(page);
    expectShownMatch(await shownValues(page), problem, solve(problem));
    expect(await page.locator("#diagram g.item.neuron").count()).toBe(3 + 2 + 2);
    await screenshot(page, "builder");
    await done(page);
  });

  test("a large layer stays legible: the first neurons, a gap, the last", async () => {
    const page = await openPage(browser, server.url);
    const units = 24;
    const big = {
      title: "A wide hidden layer",
      network: {
        inputs: 3,
        layers: [
          { units, activation: "relu", weights: 0.1, bias: 0 },
          { units: 2, activation: "softmax", weights: 0.05, bias: 0 },
        ],
      },
      loss: { type: "cross_entropy" },
      data: { inputs: [[1, -1, 0.5]], targets: [[1, 0]] },
      training: { learningRate: 0.1, steps: 1 },
    };
    await page.setInputFiles("#file-input", { name: "big.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(big)) });
    await waitForTitle(page, "A wide hidden layer");
    expect(await page.locator("#diagram g.item.neuron").count()).toBeLessThan(12);
    expect(await text(page, "#diagram text.gap")).toBe(`⋮ ${units - 7} more`);
    await press(page, "f", 2);
    const problem = parseProblem(big);
    expectShownMatch(await shownValues(page), problem, solve(problem));
    await screenshot(page, "large-layer");
    await done(page);
  });

  test("reads well in the dark theme and on a phone", async () => {
    const dark = await openPage(browser, server.url, { width: 1280, height: 900, dark: true });
    await press(dark, "f", 3);
    await press(dark, "b", 2);
    await dark.click(item("neuron", { layer: 0, j: 0 }));
    const background = await dark.evaluate("getComputedStyle(document.documentElement).backgroundColor");
    expect(background).toBe("rgb(17, 21, 29)");
    await screenshot(dark, "dark-backward");
    await done(dark);

    const phone = await openPage(browser, server.url, { width: 390, height: 844 });
    await press(phone, "f", 2);
    // The page itself never scrolls sideways; only the diagram's frame does.
    expect(await phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")).toBe(true);
    expect(await phone.isVisible("#step-forward")).toBe(true);
    const side = await phone.locator(".side").boundingBox();
    const diagram = await phone.locator("#diagram-frame").boundingBox();
    expect(side!.y).toBeGreaterThan(diagram!.y + diagram!.height - 1);
    await screenshot(phone, "phone");
    await done(phone);
  });

  test("trains a small network on XOR in a worker on the WebAssembly kernels: the loss falls and the page stays responsive", async () => {
    const page = await openPage(browser, server.url);
    await page.click("#tab-train");
    await page.selectOption("#train-dataset", "xor");
    await until(async () => (await attribute(page, "#train-stats", "data-step")) === "0");
    // The compiled kernels run in the browser too: Chromium has relaxed SIMD.
    expect(await page.getAttribute("#train-network", "data-kernels")).toBe("relaxed");
    await page.click("#train-run");
    await until(async () => Number(await attribute(page, "#train-stats", "data-step")) > 300, 60_000);
    // While it trains, the page answers at once.
    const start = Date.now();
    await page.evaluate("1 + 1");
    expect(Date.now() - start).toBeLessThan(1000);
    await page.click("#train-run");
    expect(await page.getAttribute("#train-run", "aria-pressed")).toBe("false");
    await page.waitForTimeout(300);
    const stats = page.locator("#train-stats");
    const first = Number(await stats.getAttribute("data-first-loss"));
    const last = Number(await stats.getAttribute("data-loss"));
    expect(last).toBeLessThan(first);
    const paused = await stats.getAttribute("data-step");
    await page.waitForTimeout(300);
    expect(await stats.getAttribute("data-step")).toBe(paused);
    await screenshot(page, "train-xor");
    await done(page);
  });
});

test("valueAt reads given and traced values alike", () => {
  const problem = loadExample("seed-000-relu-2-2-1");
  const trace = solve(problem);
  expect(valueAt(problem, trace, "network.layers[0].weights[1][1]")).toBe(-1);
  expect(valueAt(problem, trace, "steps[0].loss")).toBe(trace.steps[0]!.loss);
  expect(() => valueAt(problem, trace, "steps[0].nothing")).toThrow();
});
