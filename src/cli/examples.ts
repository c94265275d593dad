import { Command } from "commander";
import { exampleNames, readExample } from "../problem/examples.js";
import { formatOption, jsonAlias } from "./options.js";
import { writeOutput } from "./output.js";
import { helpAfter } from "./help-text.js";
import { langOption } from "./lang.js";

export const examplesCommand = new Command("examples")
  .description("list the built-in exercises")
  .addOption(formatOption(["text", "json"]))
  .addOption(jsonAlias())
  .addOption(langOption())
  .addHelpText("after", helpAfter(undefined, ["gradstep examples", "gradstep solve --example seed-000-relu-2-2-1"]))
  .action((flags: { format: "text" | "json" }) => {
    const examples = exampleNames().map((name) => ({ name, title: readExample(name).title }));
    if (flags.format === "json") {
      writeOutput(JSON.stringify(examples, null, 2), undefined);
      return;
    }
    const width = Math.max(...examples.map((e) => e.name.length));
    writeOutput(examples.map((e) => `${e.name.padEnd(width)}  ${e.title}`).join("\n"), undefined);
  });
