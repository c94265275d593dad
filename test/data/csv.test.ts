import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { readCsvRecords } from "../../src/train/data/csv-records.js";
import { csvDataset, loadCsv } from "../../src/train/data/index.js";
import { inputError } from "./input-error.js";

const dir = mkdtempSync(join(tmpdir(), "gradstep-csv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


const IRIS = [
  "sepal_length,sepal_width,species",
  "5.1,3.5,setosa",
  "7.0,3.2,versicolor",
  "4.9,3.0,setosa",
  "6.3,3.3,virginica",
  "",
].join("\n");

describe("CSV records (RFC 4180)", () => {
  test("quoted fields hold commas, doubled quotes and line breaks; positions count lines", () => {
    const records = readCsvRecords('a,b\n"x, y","say ""hi"""\n"two\nlines",z\n');
    expect(records.map((r) => r.fields.map((f) => f.text))).toEqual([
      ["a", "b"],
      ["x, y", 'say "hi"'],
      ["two\nlines", "z"],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(records[2]!.fields[1]).toMatchObject({ line: 4, column: 8 });
  });

  test("an empty last field and an empty quoted field", () => {
    const records = readCsvRecords('a,"",\n');
    expect(records[0]!.fields.map((f) => f.text)).toEqual(["a", "", ""]);
  });

  test("an unterminated quote is reported where the field starts", () => {
    const error = inputError(() => readCsvRecords('a,b\n1,"oops\n2,3\n', "bad.csv"));
    expect(error.message).toBe("bad.csv:2:3: expected a closing quote for the field that starts here, found the end of the file");
  });

  test("text after a closing quote", () => {
    const error = inputError(() => readCsvRecords('a,b\n"1"x,2\n', "bad.csv"));
    expect(error.message).toBe('bad.csv:2:4: expected a comma or the end of the line after a closing quote, found "x"');
  });

  test("a quote inside an unquoted field", () => {
    const error = inputError(() => readCsvRecords('a,b\n1,2"3\n', "bad.csv"));
    expect(error.position).toEqual({ line: 2, column: 4 });
    expect(error.message).toContain("expected a quote only at the start of a field");
  });
});

describe("CSV data sets", () => {
  test("string labels become classes in order of first appearance", () => {
    const data = csvDataset(IRIS, { label: "species" }, "iris.csv");
    expect(data).toMatchObject({ name: "iris.csv", count: 4, features: 2, classes: 3 });
    expect(data.classNames).toEqual(["setosa", "versicolor", "virginica"]);
    expect([...data.labels]).toEqual([0, 1, 0, 2]);
    expect([...data.inputs]).toEqual([5.1, 3.5, 7.0, 3.2, 4.9, 3.0, 6.3, 3.3].map(Math.fround));
  });

  test("the label column may be anywhere; the other columns keep their order", () => {
    const data = csvDataset("y,a,b\n1,10,20\n0,30,40\n3,50,60\n", { label: "y" });
    expect([...data.labels]).toEqual([1, 0, 3]);
    expect(data.classes).toBe(4);
    expect(data.classNames).toBeUndefined();
    expect([...data.inputs]).toEqual([10, 20, 30, 40, 50, 60]);
  });

  test("quoted numbers, quoted labels with commas and quotes", () => {
    const text = '"width, cm","height",kind\n"1.5",2,"small, ""round"""\n3,"-4e-1","big"\n';
    const data = csvDataset(text, { label: "kind" });
    expect(data.classNames).toEqual(['small, "round"', "big"]);
    expect([...data.inputs]).toEqual([1.5, 2, 3, -0.4].map(Math.fround));
  });

  test("CRLF line ends and blank lines read the same as LF", () => {
    const crlf = IRIS.replaceAll("\n", "\r\n").replace("\r\n7.0", "\r\n\r\n  \r\n7.0");
    const fromCrlf = csvDataset(crlf, { label: "species" });
    const fromLf = csvDataset(IRIS, { label: "species" });
    expect(fromCrlf.inputs).toEqual(fromLf.inputs);
    expect(fromCrlf.labels).toEqual(fromLf.labels);
    expect(fromCrlf.classNames).toEqual(["setosa", "versicolor", "virginica"]);
  });

  test("a missing label column suggests the likely name and lists the columns", () => {
    const error = inputError(() => csvDataset(IRIS, { label: "specis" }, "iris.csv"));
    expect(error.message).toBe(
      'iris.csv:1:1: expected a label column named "specis" in the header, found none (did you mean "species"?); ' +
        'the columns are "sepal_length", "sepal_width", "species"',
    );
  });

  test("a label column with no likely intended name lists the columns only", () => {
    const error = inputError(() => csvDataset(IRIS, { label: "target" }, "iris.csv"));
    expect(error.message).not.toContain("did you mean");
    expect(error.message).toContain('the columns are "sepal_length", "sepal_width", "species"');
  });

  test("a non-numeric cell names the row, the column and the text", () => {
    const text = IRIS.replace("4.9,3.0", "4.9,n/a");
    const error = inputError(() => csvDataset(text, { label: "species" }, "iris.csv"));
    expect(error.message).toBe('iris.csv:4:5: row 3, column "sepal_width": expected a number, found the text "n/a"');
  });

  test("an empty feature cell", () => {
    const error = inputError(() => csvDataset("a,b,y\n1,,0\n", { label: "y" }, "e.csv"));
    expect(error.message).toBe('e.csv:2:3: row 1, column "b": expected a number, found an empty cell');
  });

  test("a row with too few fields", () => {
    const error = inputError(() => csvDataset("a,b,y\n1,2,0\n1,0\n", { label: "y" }, "short.csv"));
    expect(error.message).toBe("short.csv:3:1: row 2: expected 3 fields like the header, found 2");
  });

  test("a header alone has no data", () => {
    const error = inputError(() => csvDataset("a,y\n\n", { label: "y" }, "h.csv"));
    expect(error.message).toBe("h.csv: expected data rows after the header, found none");
  });

  test("loadCsv reads a file and names it in errors", () => {
    const file = join(dir, "iris.csv");
    writeFileSync(file, IRIS);
    expect(loadCsv(file, { label: "species" }).count).toBe(4);
    const missing = join(dir, "absent.csv");
    const error = inputError(() => loadCsv(missing, { label: "species" }));
    expect(error.file).toBe(missing);
    expect(error.message).toBe(`${missing}: expected a CSV file with a header row, found no such file`);
  });
});
