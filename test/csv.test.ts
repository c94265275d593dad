import { describe, expect, test } from "vitest";
import { computedQuantities, givenQuantities } from "../src/explain/order.js";
import { pathOf, Values } from "../src/explain/quantity.js";
import { formatPath, parsePath, parseProblem, solve } from "../src/index.js";
import { csvField, renderCsv } from "../src/render/csv.js";
import { EXAMPLES_DIR, readCases } from "./cases.js";

/**
 * A minimal RFC 4180 reader, written here so that the test does not trust
 * the writer's own quoting: fields separated by commas, records by CRLF,
 * quoted fields may hold commas, CRLF and doubled quotes. Every record must
 * end with CRLF.
 */
function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let at = 0;
  while (at < text.length) {
    let field = "";
    if (text[at] === '"') {
      at++;
      for (;;) {
        const quote = text.indexOf('"', at);
        if (quote < 0) throw new SyntaxError("unterminated quoted field");
        field += text.slice(at, quote);
        at = quote + 1;
        if (text[at] !== '"') break;
        field += '"';
        at++;
      }
    } else {
      const end = text.slice(at).search(/[,\r\n"]/);
      field = end < 0 ? text.slice(at) : text.slice(at, at + end);
      at += field.length;
    }
    record.push(field);
    if (text[at] === ",") at++;
    else if (text.startsWith("\r\n", at)) {
      records.push(record);
      record = [];
      at += 2;
    } else throw new SyntaxError(`expected a comma or CRLF at offset ${at}, found ${JSON.stringify(text.slice(at, at + 5))}`);
  }
  if (record.length > 0) throw new SyntaxError("the last record does not end with CRLF");
  return records;
}

describe("the CSV reader used below", () => {
  test("reads quoted fields with commas, quotes and line breaks", () => {
    expect(readCsv('a,"b,c","say ""hi""","x\r\ny"\r\n,\r\n')).toEqual([
      ["a", "b,c", 'say "hi"', "x\r\ny"],
      ["", ""],
    ]);
    expect(() => readCsv("a,b")).toThrow(/CRLF/);
    expect(() => readCsv("a\nb\r\n")).toThrow(/CRLF/);
  });

  test("reads back what csvField writes", () => {
    const fields = ["plain", "w⁽¹⁾_{1,10}", 'a "quoted" name', "two\nlines", ""];
    expect(readCsv(fields.map(csvField).join(",") + "\r\n")).toEqual([fields]);
    expect(csvField("∂L/∂w⁽²⁾₁₁")).toBe("∂L/∂w⁽²⁾₁₁");
  });
});

describe("every number of every example, one CSV row each", () => {
  for (const c of readCases(EXAMPLES_DIR)) {
    test(c.name, () => {
      const problem = parseProblem(c.json);
      const trace = solve(problem);
      const values = new Values(problem, trace);
      const csv = renderCsv(problem, trace);
      const [header, ...rows] = readCsv(csv);
      expect(header).toEqual(["path", "name", "value"]);

      const expected = [...givenQuantities(problem), ...computedQuantities(problem)];
      expect(rows.map((r) => r[0])).toEqual(expected.map((q) => formatPath(pathOf(problem, q))));
      expect(new Set(rows.map((r) => r[0])).size).toBe(rows.length);

      const given = givenQuantities(problem).length;
      const wrong = rows.flatMap((row, i) => {
        const [path = "", name = "", value = ""] = row;
        const q = expected[i]!;
        const want = values.of(q);
        const problems = [
          ...(row.length === 3 ? [] : [`${path}: ${row.length} fields`]),
          ...(name.trim() === "" ? [`${path}: empty name`] : []),
          // Full precision: the text reads back as exactly the same float64.
          ...(Number(value) === want && value.trim() !== "" ? [] : [`${path}: value ${value}, want ${want}`]),
          // Given rows carry problem paths, computed rows trace paths.
          ...(/^(steps|final)\b/.test(path) === i >= given ? [] : [`${path}: in the wrong part of the file`]),
          ...(parsePath(path) ? [] : [`${path}: not a path`]),
        ];
        return problems;
      });
      expect(wrong).toEqual([]);
    });
  }

  test("names follow the exercise's notation in plain text", () => {
    const c = readCases(EXAMPLES_DIR).find((x) => x.name === "seed-003-relu-1-2-2-1-two-steps")!;
    const problem = parseProblem(c.json);
    const rows = readCsv(renderCsv(problem, solve(problem)));
    const byPath = new Map(rows.map((r) => [r[0], r]));
    expect(byPath.get("data.inputs[0][0]")).toEqual(["data.inputs[0][0]", "x", "2"]);
    expect(byPath.get("training.learningRate")).toEqual(["training.learningRate", "η", "0.01"]);
    expect(byPath.get("steps[0].loss")).toEqual(["steps[0].loss", "L", "6.125"]);
    expect(byPath.get("steps[0].backward[2].weights[0][1]")?.[1]).toBe("∂L/∂w₈");
    expect(byPath.get("steps[0].forward[0].a[0][1]")?.[1]).toBe("f(s₂)");
    expect(byPath.get("final.loss")?.[2]).toBe("0.374501243262599");
  });

  test("a name with a comma (an index of 10 or more) is quoted and reads back whole", () => {
    const problem = parseProblem({
      network: { inputs: 10, layers: [{ units: 1, activation: "identity", weights: 0.1, bias: 0 }] },
      loss: { type: "half_squared_error" },
      data: { inputs: [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], targets: [[1]] },
      training: { optimizer: "sgd", learningRate: 0.1, steps: 1 },
    });
    const csv = renderCsv(problem, solve(problem));
    expect(csv).toContain('network.layers[0].weights[0][9],"w⁽¹⁾₁,₁₀",0.1\r\n');
    const row = readCsv(csv).find((r) => r[0] === "network.layers[0].weights[0][9]");
    expect(row).toEqual(["network.layers[0].weights[0][9]", "w⁽¹⁾₁,₁₀", "0.1"]);
  });
});
