import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadExample } from "../../src/problem/examples.js";
import { launch, openPage, pageErrors, press, screenshot, serve, shownValues, type Served } from "./harness.js";

/**
 * The page in each language: it follows the browser's language, `?lang=`
 * overrides it, and the switch in the header changes the language without
 * losing the exercise (which lives in the URL's fragment). A screenshot of
 * each language goes to test-artifacts/ to be looked at.
 */

const BROWSER_TIMEOUT = 120_000;
const EXAMPLE = "seed-004-sigmoid-3-2-2-shared-bias";
let server: Served;
let browser: Browser;

beforeAll(async () => {
  server = await serve(["--example", EXAMPLE]);
  browser = await launch();
}, BROWSER_TIMEOUT);

afterAll(async () => {
  await browser.close();
  server.process.kill();
});

const text = async (page: Page, selector: string) => (await page.locator(selector).first().textContent())?.trim() ?? "";

/** What the page says in each language: a tab, the forward button, the banner after one forward move. */
const WORDS = {
  en: { tab: "Exercise", forward: "Forward ▸", phase: "forward Step 1 of 1: forward pass, layer 1 of 2: z = W·a + b, then a = f(z)" },
  zh: { tab: "练习", forward: "前向 ▸", phase: "前向 第 1 步（共 1 步）：前向传播，第 1 层（共 2 层）：z = W·a + b，然后 a = f(z)" },
  ja: { tab: "演習", forward: "順伝播 ▸", phase: "順伝播 ステップ 1（全 1 ステップ）：順伝播、第 1 層（全 2 層）：z = W·a + b、次に a = f(z)" },
  de: { tab: "Aufgabe", forward: "Vorwärts ▸", phase: "vorwärts Schritt 1 von 1: Vorwärtsdurchlauf, Schicht 1 von 2: z = W·a + b, dann a = f(z)" },
} as const;

/** The derivation panel's title for the first hidden neuron. */
const INSPECTED = {
  en: /^Neuron h₁ · layer 1, sigmoid$/,
  zh: /^神经元 h₁ · 第 1 层，Sigmoid$/,
  ja: /^ニューロン h₁ · 第 1 層、シグモイド$/,
  de: /^Neuron h₁ · Schicht 1, Sigmoid$/,
} as const;

async function expectLanguage(page: Page, lang: keyof typeof WORDS): Promise<void> {
  expect(await page.getAttribute("html", "lang")).toBe(lang);
  expect(await text(page, "#tab-exercise")).toBe(WORDS[lang].tab);
  expect(await text(page, "#step-forward")).toBe(WORDS[lang].forward);
  expect(await page.inputValue("#lang")).toBe(lang);
}

describe("the page's language", { timeout: BROWSER_TIMEOUT }, () => {
  test("follows the browser's language", async () => {
    const page = await openPage(browser, server.url, { locale: "de-DE" });
    await expectLanguage(page, "de");
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test("?lang= in the URL wins over the browser's language", async () => {
    const url = new URL(server.url);
    url.searchParams.set("lang", "ja");
    const page = await openPage(browser, url.href, { locale: "de-DE" });
    await expectLanguage(page, "ja");
    await page.context().close();
  });

  test("the switch changes the language, keeps the choice in the URL and the exercise as edited", async () => {
    const page = await openPage(browser, server.url);
    await expectLanguage(page, "en");
    const title = loadExample(EXAMPLE).title!;
    expect(await text(page, "#exercise-title")).toBe(title);
    // An edit, so that the exercise is not just the built-in one.
    await page.click('g.item[data-kind="weight"][data-layer="1"][data-j="0"][data-i="0"] .label');
    await page.fill("input.inline-editor", "0.25");
    await page.keyboard.press("Enter");
    await press(page, "f");
    const values = await shownValues(page);
    const fragment = new URL(page.url()).hash;
    expect(fragment).not.toBe("");

    for (const lang of ["zh", "ja", "de", "en"] as const) {
      await Promise.all([page.waitForURL((url) => url.searchParams.get("lang") === lang), page.selectOption("#lang", lang)]);
      await page.waitForSelector("body[data-ready]");
      await expectLanguage(page, lang);
      expect(new URL(page.url()).hash).toBe(fragment);
      expect(await text(page, "#exercise-title")).toBe(title);
      await press(page, "f");
      expect(await shownValues(page)).toEqual(values);
      expect(await text(page, "#phase")).toBe(WORDS[lang].phase);
      await page.click('g.item[data-kind="neuron"][data-layer="0"][data-j="0"]');
      expect(await text(page, "#inspected-title")).toMatch(INSPECTED[lang]);
      await screenshot(page, `page-${lang}-derivation`);
      await page.click("#tab-build");
      await screenshot(page, `page-${lang}-build`);
      await page.click("#tab-check");
      await screenshot(page, `page-${lang}`);
      await page.click("#tab-exercise");
    }
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });
});
