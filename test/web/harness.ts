import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { expect } from "vitest";
import { Values } from "../../src/explain/quantity.js";
import { parsePath } from "../../src/json-path.js";
import type { Problem } from "../../src/problem/problem.js";
import { formatNumber, typographic } from "../../src/number-format.js";
import type { Trace } from "../../src/solve/trace.js";
import { CLI } from "../cli.js";

/**
 * What the browser tests share: `gradstep serve` from dist/ on a free port,
 * Debian's Chromium driven by playwright-core (never a downloaded browser),
 * and a reading of every number the diagram shows with the trace path it
 * claims to come from.
 */
export const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
const WEB_BUILD = fileURLToPath(new URL("../../dist/web/index.html", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";

export interface Served {
  readonly url: string;
  readonly process: ChildProcess;
}

/** Starts `gradstep serve ARGS --port 0` and resolves with the URL it prints (the last line). */
export function serve(args: readonly string[] = []): Promise<Served> {
  if (!existsSync(WEB_BUILD)) throw new Error(`the page is not built (${WEB_BUILD}); run npm run build`);
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((done, fail) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => fail(new Error(`gradstep serve printed no URL in 20 s: ${out}${err}`)), 20_000);
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /^(http:\/\/\S+)$/m.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        done({ url, process: child });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`gradstep serve exited with ${String(code)}: ${err}`));
    });
  });
}

export function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`the browser tests need Chromium at ${CHROMIUM} (apt-get install chromium)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** Opens `url` and waits for the page to have drawn its first exercise; page errors fail the test. */
export async function openPage(
  browser: Browser,
  url: string,
  options: { width?: number; height?: number; dark?: boolean; locale?: string } = {},
): Promise<Page> {
  const context = await browser.newContext({
    // The browser's language decides the page's: English unless a test asks for another, whatever the machine's locale.
    locale: options.locale ?? "en-US",
    viewport: { width: options.width ?? 1440, height: options.height ?? 950 },
    colorScheme: options.dark ? "dark" : "light",
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  (page as Page & { errors: string[] }).errors = errors;
  await page.goto(url);
  await page.waitForSelector("body[data-ready]", { timeout: 30_000 });
  return page;
}

export function pageErrors(page: Page): string[] {
  return (page as Page & { errors?: string[] }).errors ?? [];
}

/** Minimal element typing for callbacks that run in the page (the tests' tsconfig has no DOM library). */
interface PageElement {
  getAttribute(name: string): string | null;
  readonly textContent: string | null;
}

export interface ShownValue {
  readonly path: string;
  readonly text: string;
}

/** Every number the diagram shows, with the trace (or problem) path it carries. */
export function shownValues(page: Page): Promise<ShownValue[]> {
  return page
    .locator("#diagram [data-path]")
    .evaluateAll((elements: PageElement[]) => elements.map((e) => ({ path: e.getAttribute("data-path") ?? "", text: e.textContent ?? "" })));
}

/** The value at a trace path, or at a path into the problem for given values (read the way src/explain/quantity.ts reads them). */
export function valueAt(problem: Problem, trace: Trace, path: string): number {
  const parsed = parsePath(path);
  if (!parsed) throw new Error(`not a path: ${path}`);
  const { found, value } = new Values(problem, trace).at(parsed);
  if (!found || typeof value !== "number") throw new Error(`no number at ${path}`);
  return value;
}

/** The diagram's numbers are the engine's, rounded to 4 decimals as every output rounds them. */
export function expectShownMatch(shown: readonly ShownValue[], problem: Problem, trace: Trace): void {
  expect(shown.length).toBeGreaterThan(0);
  for (const { path, text } of shown) {
    const number = text.trim().split(/\s+/).at(-1)!;
    expect(`${path}: ${number}`).toBe(`${path}: ${typographic(formatNumber(valueAt(problem, trace, path), 4))}`);
  }
}

/** Presses a key `times` times. */
export async function press(page: Page, key: string, times = 1): Promise<void> {
  for (let k = 0; k < times; k++) await page.keyboard.press(key);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

/** Waits until `check` holds, polling every 50 ms; fails after `timeout` ms. */
export async function until(check: () => Promise<boolean>, timeout = 60_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`waited ${timeout} ms in vain`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The `data-NAME` attribute of the first element `selector` finds. */
export async function dataOf(page: Page, selector: string, name: string): Promise<string | null> {
  return page.locator(selector).first().getAttribute(`data-${name}`);
}
