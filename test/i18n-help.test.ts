import { describe, expect, it } from "vitest";
import { gradstep } from "./cli.js";
import { breakPieces } from "../src/cli/help-text.js";
import { localizeUsageError } from "../src/cli/usage-errors.js";
import { displayWidth } from "../src/display-width.js";
import { english, loadTranslator } from "../src/i18n/translate.js";
import { LANGS } from "../src/i18n/lang.js";

const COMMANDS = ["solve", "explain", "check", "train", "eval", "predict", "export", "inspect", "examples", "serve"];
const CJK = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe("--help in each language", () => {
  it("commander's headings and notes are translated; English is commander's own words", async () => {
    const headings = {
      en: ["Usage:", "Options:", "Commands:"],
      zh: ["用法：", "选项：", "命令："],
      ja: ["使い方：", "オプション：", "コマンド："],
      de: ["Aufruf:", "Optionen:", "Befehle:"],
    };
    for (const lang of LANGS) {
      const top = gradstep(["--help", "--lang", lang]);
      expect(top.status).toBe(0);
      for (const heading of headings[lang]) expect(top.stdout).toContain(heading);
      const solve = gradstep(["solve", "--help", "--lang", lang]).stdout;
      const t = await loadTranslator(lang);
      expect(solve).toContain(t.text("help.heading.arguments"));
      expect(solve).toContain(t.text("help.heading.examples"));
      expect(solve.replace(/\s+/g, "")).toContain(t.text("help.default", { value: '"text"' }).replace(/\s+/g, ""));
      // The example command lines stay as they are.
      expect(solve).toContain("$ gradstep solve --example seed-003-relu-1-2-2-1-two-steps");
      if (lang !== "en")
        for (const english of ["Usage:", "Options:", "Arguments:", "Examples:", "default:", "choices:", "display help for command"])
          expect(solve).not.toContain(english);
    }
    const en = gradstep(["solve", "--help"], {}).stdout;
    expect(en).toMatch(/-f, --format <FORMAT> +output format \(choices: "text", "json",/);
    expect(en).toMatch(/"pdf", default: "text"\)/);
  });

  it("lines fit 80 columns, CJK counted as two, breaking between CJK characters but never before a closing mark", () => {
    for (const lang of ["zh", "ja", "de"]) {
      for (const command of ["solve", "explain", "check"]) {
        const help = gradstep([command, "--help", "--lang", lang], { env: { COLUMNS: "80" } }).stdout;
        const long = help.split("\n").filter((line) => displayWidth(line) > 80 && !line.includes("$ gradstep"));
        expect({ lang, command, long }).toEqual({ lang, command, long: [] });
        if (lang !== "de") expect(help).toMatch(CJK);
        expect(help).not.toMatch(/\n +[、。，：；）」]/);
      }
    }
    expect(breakPieces("求解练习：每个前向值")).toEqual(["求", "解", "练", "习：", "每", "个", "前", "向", "值"]);
    expect(breakPieces("保存したモデル（gradstep、safetensors）から")).toEqual([
      "保",
      "存",
      "し",
      "た",
      "モ",
      "デ",
      "ル",
      "（gradstep、",
      "safetensors）",
      "か",
      "ら",
    ]);
    expect(breakPieces("plain words here")).toEqual(["plain", " words", " here"]);
  });

  it("every command's description is translated in the top-level help", async () => {
    for (const lang of ["zh", "ja", "de"] as const) {
      const t = await loadTranslator(lang);
      // Wrapped to 80 columns: compared without the breaks.
      const help = gradstep(["--help", "--lang", lang]).stdout.replace(/\s+/g, "");
      for (const command of COMMANDS) expect(help).toContain(t.text(`help.${command}` as "help.solve").replace(/\s+/g, ""));
    }
  });
});

describe("usage errors in each language", () => {
  const cases: readonly { args: string[]; english: RegExp; kept: string[] }[] = [
    {
      args: ["solve", "--formt", "x"],
      english: /^gradstep: unknown option '--formt'\n\(Did you mean one of --form, --format\?\)\n/,
      kept: ["--formt", "--form, --format"],
    },
    {
      args: ["solve", "--format", "foo"],
      english: /^gradstep: option '-f, --format <FORMAT>' argument 'foo' is invalid\. Allowed choices are text, json,/,
      kept: ["-f, --format <FORMAT>", "foo", "text, json, markdown"],
    },
    {
      args: ["explain", "a", "b", "c"],
      english: /^gradstep: too many arguments for 'explain'\. Expected 2 arguments but got 3\.\n/,
      kept: ["explain", "2", "3"],
    },
    {
      args: ["solve", "--decimals", "99"],
      english: /^gradstep: option '-d, --decimals <N>' argument '99' is invalid\. expected a whole number from 0 to 17\.\n/,
      kept: ["-d, --decimals <N>", "99", "0", "17"],
    },
    { args: ["solvee"], english: /^gradstep: unknown command 'solvee'\n\(Did you mean solve\?\)\n/, kept: ["solvee"] },
    { args: ["explain", "--step"], english: /^gradstep: option '-s, --step <N>' argument missing\n/, kept: ["-s, --step <N>"] },
  ];

  for (const { args, english: englishShape, kept } of cases) {
    it(`${args.join(" ")}: exit 2, the same names and values, the words translated`, () => {
      const en = gradstep(args);
      expect(en.status).toBe(2);
      expect(en.stderr).toMatch(englishShape);
      for (const lang of ["zh", "ja", "de"]) {
        const run = gradstep([args[0]!, "--lang", lang, ...args.slice(1)]);
        expect(run.status).toBe(2);
        expect(run.stderr).toMatch(/^gradstep: /);
        expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
        for (const value of kept) expect(run.stderr).toContain(value);
        expect(run.stderr).not.toMatch(/unknown|invalid|expected|Did you mean|run gradstep|too many|missing|Allowed/);
        if (lang !== "de") expect(run.stderr).toMatch(CJK);
      }
    });
  }

  it("the language comes from LANG when --lang is not given", () => {
    const run = gradstep(["solve", "--bogus"], { env: { LANG: "de_DE.UTF-8" } });
    expect(run.stderr).toBe("gradstep: unbekannte Option „--bogus“\n(Aufruf: siehe gradstep solve --help)\n");
  });

  it("a message of a shape commander has not written before is left as it is", () => {
    expect(localizeUsageError("error: something new 'x'\n", english)).toBe("something new 'x'\n");
  });
});
