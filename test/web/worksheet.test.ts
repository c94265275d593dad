import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { launch, openPage, pageErrors, screenshot, serve, type Served } from "./harness.js";

/** The page's "Check my worksheet" box in a real headless Chromium, served by `gradstep serve` from dist/. */

const BROWSER_TIMEOUT = 120_000;
let server: Served;
let browser: Browser;

beforeAll(async () => {
  server = await serve(["--example", "seed-004-sigmoid-3-2-2-shared-bias"]);
  browser = await launch();
}, BROWSER_TIMEOUT);

afterAll(async () => {
  await browser.close();
  server.process.kill();
});

test("check my worksheet: a pasted worksheet comes back typeset with the same marks as gradstep check --worksheet", { timeout: BROWSER_TIMEOUT }, async () => {
  const page = await openPage(browser, server.url);
  await page.click("#tab-check");
  const worksheet = readFileSync(new URL("../worksheets/seed-004-zh.md", import.meta.url), "utf8");
  await page.fill("#worksheet-text", worksheet);
  await page.click("#worksheet-check");
  await page.waitForSelector("#worksheet-result .summary", { timeout: 30_000 });
  expect(await page.locator("#worksheet-result .summary").textContent()).toMatch(
    /^24 values checked: 21 right, 3 wrong; \d+ arithmetic steps: 2 slips; 1 equation not understood\.$/,
  );
  const wrong = page.locator('#worksheet-result .mark.bad[data-path="steps[0].backward[1].bias"]');
  expect(await wrong.textContent()).toContain("✗ ∂E/∂b₂ = 0.1795: the value is 0.19746; likely slip: two digits swapped");
  expect(await page.locator('#worksheet-result .mark.ok[data-path="steps[0].forward[0].z[0][0]"]').count()).toBe(1);
  expect(await page.locator("#worksheet-result .mark.unknown").textContent()).toContain("not a value of the exercise");
  // The student's formulas typeset, and each wrong value's derivation in a fold-out.
  expect(await page.locator("#worksheet-result .worksheet .katex").count()).toBeGreaterThan(20);
  expect(await page.locator("#worksheet-result details").count()).toBe(3);
  await page.locator("#worksheet-result details summary").first().click();
  expect(await page.locator("#worksheet-result details[open] .katex").count()).toBeGreaterThan(0);
  // Kept while the panel is redrawn.
  await page.click("#tab-derivation");
  await page.click("#tab-check");
  expect(await page.inputValue("#worksheet-text")).toBe(worksheet);
  await screenshot(page, "check-my-worksheet");
  expect(pageErrors(page)).toEqual([]);
  await page.context().close();
});
