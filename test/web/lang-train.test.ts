import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import trainPageEnglish from "../../src/i18n/catalogues/train-page/en.js";
import { loadTranslator, type MessageKey, type Translator } from "../../src/i18n/translate.js";
import { launch, openPage, pageErrors, screenshot, serve, type Served, until, dataOf } from "./harness.js";

/**
 * The Train tab and the page's labels in Chinese, Japanese and German: the
 * words a reader sees in the 2-D playground and the images trainer are the
 * catalogue's, none of the English ones are left, and every aria-label on
 * the page is translated. Screenshots of the exercise and of both Train
 * views in each language go to test-artifacts/ to be looked at.
 */

const TIMEOUT = 240_000;
const EXAMPLE = "seed-004-sigmoid-3-2-2-shared-bias";
let server: Served;
let browser: Browser;

beforeAll(async () => {
  server = await serve(["--example", EXAMPLE]);
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser.close();
  server.process.kill();
});

function urlIn(lang: string): string {
  const url = new URL(server.url);
  url.searchParams.set("lang", lang);
  return url.href;
}

/** Every aria-label on the page, of shown and hidden elements alike. */
const ariaLabels = (page: Page): Promise<string[]> =>
  page
    .locator("[aria-label]")
    .evaluateAll((elements: { getAttribute(name: string): string | null }[]) => elements.map((e) => e.getAttribute("aria-label") ?? ""));

/** `needle` in `text` as words: not as the start of a longer word ("▶ Train" is not in "▶ Trainieren"). */
function containsWords(text: string, needle: string): boolean {
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<!\\p{L})${escaped}(?!\\p{L})`, "u").test(text);
}

/** The English messages of the Train tab's part without arguments, each with its translation where that differs. */
function translatedPairs(tr: Translator): { key: MessageKey; english: string; translated: string }[] {
  return (Object.entries(trainPageEnglish) as [MessageKey, string][])
    .filter(([, english]) => !english.includes("{"))
    .map(([key, english]) => ({ key, english, translated: tr.text(key) }))
    .filter((p) => p.translated !== p.english);
}

/** The English words of a view's shown text that a translated page must not show, and what it must show instead. */
function expectTranslated(shown: string, tr: Translator, mustShow: readonly MessageKey[]): void {
  const english = translatedPairs(tr)
    .filter((p) => containsWords(shown, p.english))
    .map((p) => p.english);
  expect(english).toEqual([]);
  for (const key of mustShow) expect({ key, shown: shown.includes(tr.text(key)) }).toEqual({ key, shown: true });
  // No English sentence survives (names such as gradstep, MNIST and WebAssembly stay): no English function word before a word.
  const prose = /\b(the|and|with|of|to|is|for|from|by)\s+[a-z]{2,}/g;
  expect(shown.match(prose) ?? []).toEqual([]);
}

/** Text with each number (1, 0.25, 8,000, 8.000, 8 000) as #: to compare a message's words whatever its figures. */
const numbersAsHash = (text: string): string => text.replace(/\d+(?:[.,\u00a0\u202f ]\d+)*/g, "#");

/** Opens the Train tab's images view and trains one epoch, then draws on the pad. */
async function trainImages(page: Page, tr: Translator): Promise<void> {
  await page.check("#train-mode input[value=images]");
  await until(async () => (await dataOf(page, "#digits-network", "threads")) !== null && !(await page.isDisabled("#digits-run")));
  await page.click("#digits-run");
  await until(async () => Number(await dataOf(page, "#digits-stats", "epoch")) >= 1, 150_000);
  await page.click("#digits-run");
  // Paused once the epoch under way ends: the button says Train again.
  await until(async () => (await page.textContent("#digits-run")) === tr.text("train.run"));
  const box = (await page.locator("#digits-pad").boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.15);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.85, { steps: 10 });
  await page.mouse.up();
  await until(async () => (await page.locator("#digits-probabilities li[data-probability]").count()) > 0);
}

/** Opens the Train tab's playground and trains until the stats show a step. */
async function trainPlane(page: Page): Promise<void> {
  await page.click("#tab-train");
  await until(async () => (await dataOf(page, "#train-network", "kernels")) !== null);
  await page.click("#train-run");
  await until(async () => Number(await dataOf(page, "#train-stats", "step")) >= 50);
  await page.click("#train-run");
}

describe("the Train tab and the page's labels in each language", { timeout: TIMEOUT }, () => {
  let englishLabels: Set<string>;

  test("English: the labels to compare with", async () => {
    const page = await openPage(browser, urlIn("en"));
    await trainPlane(page);
    await page.check("#train-mode input[value=images]");
    await until(async () => (await dataOf(page, "#digits-network", "threads")) !== null);
    englishLabels = new Set(await ariaLabels(page));
    expect(englishLabels.size).toBeGreaterThan(20);
    await page.context().close();
  });

  test("the switch keeps the Train tab open with its settings, in the new language's words", async () => {
    const page = await openPage(browser, urlIn("en"));
    await page.click("#tab-train");
    await page.selectOption("#train-dataset", "circles");
    await page.fill("#train-hidden", "5, 3");
    await page.press("#train-hidden", "Enter");
    await page.check("#train-mode input[value=images]");
    await page.selectOption("#digits-batch", "64");
    await page.selectOption("#digits-threads", "1");
    await Promise.all([page.waitForURL((url) => url.searchParams.get("lang") === "de"), page.selectOption("#lang", "de")]);
    await page.waitForSelector("body[data-ready]");
    const de = await loadTranslator("de");
    expect(await page.getAttribute("#tab-train", "aria-selected")).toBe("true");
    expect(await page.isChecked("#train-mode input[value=images]")).toBe(true);
    expect(await page.inputValue("#digits-batch")).toBe("64");
    expect(await page.inputValue("#digits-threads")).toBe("1");
    await until(async () => (await dataOf(page, "#digits-network", "threads")) === "1");
    expect(await page.locator("#digits-network").innerText()).toBe(
      de.text("train.images.network", {
        layers: "784 → 256 → 128 → 10",
        rate: "0.001",
        batch: "64",
        kernels: "relaxed",
        threads: 1,
        train: (8000).toLocaleString("de"),
        test: (2000).toLocaleString("de"),
      }),
    );
    await page.check("#train-mode input[value=plane]");
    expect(await page.inputValue("#train-dataset")).toBe("circles");
    expect(await page.inputValue("#train-hidden")).toBe("5, 3");
    expect(await page.locator("#train-dataset option:checked").innerText()).toBe(de.text("train.plane.circles"));
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  for (const lang of ["zh", "ja", "de"] as const) {
    test(`${lang}: the Train tab's words and every aria-label are the catalogue's`, async () => {
      const tr = await loadTranslator(lang);
      const page = await openPage(browser, urlIn(lang));
      await screenshot(page, `lang-${lang}-exercise`);

      await trainPlane(page);
      const plane = await page.locator("#train-view").innerText();
      expectTranslated(plane, tr, ["train.mode", "train.plane.intro", "train.plane.dataset", "train.plane.boundary", "train.plane.lossCaption", "train.run"]);
      expect(plane).toContain(tr.text("train.plane.network", { layers: "6 → 6", activation: tr.text("activation.tanh"), kernels: "relaxed" }));
      expect(numbersAsHash(await page.locator("#train-stats").innerText())).toBe(
        numbersAsHash(tr.text("train.plane.stats", { step: 1, loss: "0.5", accuracy: "50.0%" })),
      );
      await screenshot(page, `lang-${lang}-train-plane`);

      await trainImages(page, tr);
      const images = await page.locator("#train-view").innerText();
      expectTranslated(images, tr, [
        "train.images.intro",
        "train.images.data",
        "train.images.twoThreads",
        "train.images.lossCaption",
        "train.images.accuracyCaption",
        "train.images.drawDigit",
        "train.images.sees",
        "train.images.confusion",
        "train.images.corner",
      ]);
      expect(numbersAsHash(await page.locator("#digits-mistakes + figcaption").innerText())).toBe(
        numbersAsHash(tr.text("train.images.mistakesShown", { shown: 1, wrong: "2" })),
      );
      const count = (n: number) => n.toLocaleString(lang);
      expect(await page.locator("#digits-network").innerText()).toBe(
        tr.text("train.images.network", {
          layers: "784 → 256 → 128 → 10",
          rate: "0.001",
          batch: "128",
          kernels: "relaxed",
          threads: 2,
          train: count(8000),
          test: count(2000),
        }),
      );
      expect(numbersAsHash(await page.locator("#digits-stats").innerText())).toBe(
        numbersAsHash(
          tr.text("train.images.stats", { speed: "1", epoch: "1" }) +
            tr.text("train.images.statsTest", { accuracy: "1%", loss: "1" }) +
            tr.text("train.images.statsRecent", { loss: "1", accuracy: "1%" }),
        ),
      );
      await screenshot(page, `lang-${lang}-train-images`);

      // Every aria-label on the page, the exercise's and both Train views', in the page's language.
      const labels = (await ariaLabels(page)).filter((label) => /\p{L}/u.test(label));
      expect(labels.length).toBeGreaterThan(englishLabels.size);
      expect(labels.filter((label) => englishLabels.has(label))).toEqual([]);
      if (lang !== "de") expect(labels.filter((label) => !/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(label))).toEqual([]);
      expect(pageErrors(page)).toEqual([]);
      await page.context().close();
    });
  }

  const FASHION = "/usr/share/datasets/fashion-mnist";
  test.runIf(existsSync(FASHION))("Fashion-MNIST's classes in the page's language, on a phone too", async () => {
    for (const [lang, width] of [
      ["de", 1440],
      ["ja", 1440],
      ["de", 390],
    ] as const) {
      const tr = await loadTranslator(lang);
      const page = await openPage(browser, urlIn(lang), { width, height: 900 });
      await page.click("#tab-train");
      await page.check("#train-mode input[value=images]");
      await page.selectOption("#digits-source", "files");
      expect(await page.locator("#digits-stats").innerText()).toBe(tr.text("train.images.chooseFiles"));
      await screenshot(page, `lang-${lang}-${width}-fashion-files`);
      await page.setInputFiles(
        "#digits-files",
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"].map((name) =>
          join(FASHION, name),
        ),
      );
      await until(async () => (await dataOf(page, "#digits-network", "train-count")) === "60000");
      expect(await page.locator("#digits-draw-title").innerText()).toBe(tr.text("train.images.drawClothing"));
      expect(await page.locator("#digits-confusion thead th").nth(10).getAttribute("title")).toBe(tr.text("train.fashion.9"));
      expect(await page.locator("#digits-probabilities li .name").nth(9).innerText()).toBe(tr.text("train.fashion.9"));
      if (width < 500) expect(await page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")).toBe(true);
      await screenshot(page, `lang-${lang}-${width}-fashion`);
      expect(pageErrors(page)).toEqual([]);
      await page.context().close();
    }
  });
});
