import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { argumentsOf } from "./messages.js";
import { describe, expect, it } from "vitest";
import { ACTIVATIONS } from "../src/engine/activations.js";
import { LOSSES } from "../src/engine/losses.js";
import en from "../src/i18n/catalogues/en.js";
import { LANGS, langOfLocale, preferredLang } from "../src/i18n/lang.js";
import { loadTranslator, type Catalogue, type MessageKey } from "../src/i18n/translate.js";
import { resolveLang } from "../src/cli/lang.js";
import { HELP, langInArguments } from "../src/cli/help-text.js";
import { checkCommand } from "../src/cli/check.js";
import { examplesCommand } from "../src/cli/examples.js";
import { explainCommand } from "../src/cli/explain.js";
import { exportCommand } from "../src/cli/export.js";
import { inspectCommand } from "../src/cli/inspect.js";
import { evalCommand, predictCommand } from "../src/cli/model-commands.js";
import { serveCommand } from "../src/cli/serve.js";
import { solveCommand } from "../src/cli/solve.js";
import { trainCommand } from "../src/cli/train.js";
import { english } from "../src/i18n/translate.js";
import { ACTIVATION_RULES } from "../src/rules/activations.js";
import { LOSS_RULES } from "../src/rules/losses.js";
import type { ActivationName } from "../src/engine/activations.js";
import type { LossName } from "../src/engine/losses.js";

const ROOT = new URL("..", import.meta.url).pathname;

async function catalogue(lang: string): Promise<Catalogue> {
  return ((await import(`../src/i18n/catalogues/${lang}.ts`)) as { default: Catalogue }).default;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "catalogues" || name === "node_modules" ? [] : sources(path);
    return /\.(ts|html)$/.test(name) ? [readFileSync(path, "utf8")] : [];
  });
}

describe("the catalogues", () => {
  for (const lang of LANGS) {
    it(`${lang}: the English keys, none missing and none extra; each message parses with the English arguments`, async () => {
      const messages = await catalogue(lang);
      expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en) as MessageKey[]) {
        expect({ key, args: argumentsOf(messages[key], lang) }).toEqual({ key, args: argumentsOf(en[key], "en") });
      }
    });
  }

  it("no key unused: each is written in src/ or web/, or names an activation or loss rule", () => {
    const code = [...sources(join(ROOT, "src")), ...sources(join(ROOT, "web"))].join("\n");
    const rules = [...Object.keys(ACTIVATIONS).map((n) => `activation.${n}`), ...Object.keys(LOSSES).map((n) => `loss.${n}`)];
    const unused = Object.keys(en).filter((key) => !code.includes(`"${key}"`) && !rules.includes(key));
    expect(unused).toEqual([]);
  });

  it("every activation and loss rule has its words, in English the rules table's own", () => {
    for (const name of Object.keys(ACTIVATIONS)) expect(en).toHaveProperty([`activation.${name}`], ACTIVATION_RULES[name as ActivationName].label);
    for (const name of Object.keys(LOSSES)) expect(en).toHaveProperty([`loss.${name}`], LOSS_RULES[name as LossName].label);
  });

  for (const lang of ["zh", "ja", "de"]) {
    it(`${lang}: uses the glossary's term wherever the English uses the English term`, async () => {
      const messages = await catalogue(lang);
      const rows = readFileSync(join(ROOT, "docs/glossary", `${lang}.tsv`), "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => line.split("\t") as [string, string]);
      // Code is not prose: a trace path (steps[0].weights), an assignment (TERM=dumb) or a name with _ is left out.
      const words = (message: string) =>
        message
          .replace(/\{\w+\}/g, " ")
          .replace(/\{\w+, (plural|select),/g, " ")
          .replace(/\S*[[\]=_]\S*/g, " ");
      const inconsistent: string[] = [];
      for (const [english, term] of rows) {
        // "term" is not the start of "terminal".
        const pattern = new RegExp(`\\b${english.replace(/[-]/g, "\\$&")}(?!inal)`, "i");
        for (const key of Object.keys(en) as MessageKey[]) {
          // A term may list its forms: "Aktualisierung / aktualisieren / aktualisiert".
          const forms = term.toLowerCase().split(" / ");
          if (pattern.test(words(en[key])) && !forms.some((form) => messages[key].toLowerCase().includes(form)))
            inconsistent.push(`${key}: "${english}" is not "${term}" in ${messages[key]}`);
        }
      }
      expect(inconsistent).toEqual([]);
    });
  }

  it("German and English choose plural forms; Chinese and Japanese have none", async () => {
    const de = await loadTranslator("de");
    expect(de.text("solution.after", { steps: 1 })).toBe("Nach 1 Schritt");
    expect(de.text("solution.after", { steps: 1000 })).toBe("Nach 1000 Schritten");
    expect((await loadTranslator("en")).text("solution.after", { steps: 2 })).toBe("After 2 steps");
    expect((await loadTranslator("zh")).text("solution.after", { steps: 2 })).toBe("2 步之后");
    expect((await loadTranslator("ja")).list(["0.1", "0.2"])).toBe("0.1、0.2");
  });
});

describe("the language", () => {
  it("of a locale, as POSIX or BCP 47 writes it", () => {
    expect(["zh_CN.UTF-8", "ja_JP.eucJP", "de_DE@euro", "de-AT", "en_GB", "zh-Hant-TW", "C", "POSIX", "fr_FR", ""].map(langOfLocale)).toEqual([
      "zh",
      "ja",
      "de",
      "de",
      "en",
      "zh",
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(preferredLang(["fr-FR", "de-CH", "en"])).toBe("de");
    expect(preferredLang(["fr-FR"])).toBe("en");
  });

  it("--lang first, then LC_ALL, LC_MESSAGES, LANG (empty ones skipped), then English", () => {
    expect(resolveLang("ja", { LC_ALL: "de_DE.UTF-8" })).toBe("ja");
    expect(resolveLang(undefined, { LC_ALL: "de_DE.UTF-8", LANG: "zh_CN.UTF-8" })).toBe("de");
    expect(resolveLang(undefined, { LC_ALL: "", LC_MESSAGES: "ja_JP.UTF-8", LANG: "zh_CN.UTF-8" })).toBe("ja");
    expect(resolveLang(undefined, { LANG: "zh_CN.UTF-8" })).toBe("zh");
    expect(resolveLang(undefined, { LANG: "C.UTF-8" })).toBe("en");
    expect(resolveLang(undefined, { LC_ALL: "C", LANG: "zh_CN.UTF-8" })).toBe("en");
    expect(resolveLang(undefined, {})).toBe("en");
  });
});

describe("--help", () => {
  it("the English catalogue's help is each command's own text, so that translations follow it", () => {
    for (const command of [
      solveCommand,
      explainCommand,
      checkCommand,
      trainCommand,
      evalCommand,
      predictCommand,
      exportCommand,
      inspectCommand,
      examplesCommand,
      serveCommand,
    ]) {
      const help = HELP[command.name()]!;
      expect(english.text(help.description)).toBe(command.description());
      for (const [flag, key] of Object.entries(help.options ?? {})) {
        const option = command.options.find((o) => o.long === flag);
        expect({ flag, description: option?.description }).toEqual({ flag, description: english.text(key) });
      }
    }
  });

  it("every option a command shows in its help has its words in the catalogue", () => {
    const missing: string[] = [];
    for (const command of [trainCommand, evalCommand, predictCommand, exportCommand, inspectCommand, examplesCommand, serveCommand]) {
      const keys = HELP[command.name()]!.options ?? {};
      for (const option of command.options)
        if (!option.hidden && option.long !== undefined && !(option.long in keys)) missing.push(`${command.name()} ${option.long}`);
    }
    expect(missing).toEqual([]);
  });

  it("reads --lang from the arguments before they are parsed", () => {
    expect(langInArguments(["node", "gradstep", "solve", "--lang", "zh", "--help"])).toBe("zh");
    expect(langInArguments(["node", "gradstep", "check", "--lang=de"])).toBe("de");
    expect(langInArguments(["node", "gradstep", "solve"])).toBeUndefined();
  });
});

describe("the library", () => {
  it("hands out translators: a worked solution, a slip and an input error in German", async () => {
    const lib = await import("../src/index.js");
    expect(lib.LANGS).toEqual(["en", "zh", "ja", "de"]);
    const t = await lib.loadTranslator("de");
    const problem = lib.loadExample("seed-003-relu-1-2-2-1-two-steps");
    const text = lib.renderSolutionText(lib.buildSolution(problem, lib.solve(problem), { t }), { color: false });
    expect(text).toContain("Rückwärtsdurchlauf");
    expect(text).not.toContain("Backward pass");
    const error = (() => {
      try {
        lib.loadExample("no-such-example");
      } catch (e) {
        return e as InstanceType<typeof lib.InputError>;
      }
      throw new Error("no error");
    })();
    expect(error.message).toMatch(/^no built-in example "no-such-example"/);
    expect(error.localized(t)).toMatch(/^keine eingebaute Aufgabe "no-such-example"/);
  });
});
