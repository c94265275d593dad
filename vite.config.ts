import { createReadStream, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Connect, type Plugin } from "vite";
import { CROSS_ORIGIN_ISOLATION } from "./src/cli/isolation.js";

/**
 * KaTeX's stylesheet offers every font as woff2, woff and ttf; every browser
 * the page supports (it needs WebAssembly SIMD) reads woff2, so the others
 * would only weigh on the package.
 */
function katexWoff2Only(): Plugin {
  return {
    name: "katex-woff2-only",
    enforce: "pre",
    transform(code, id) {
      if (!/katex(\.min)?\.css$/.test(id)) return undefined;
      return code.replace(/,\s*url\([^)]*\.(woff|ttf)\)\s*format\("(woff|truetype)"\)/g, "");
    },
  };
}

/**
 * The built-in digits under data/ beside the page, as `gradstep serve` serves
 * them (dist/data, written by npm run build:data): the trainer fetches them
 * there. The build does not copy them into dist/web, which would ship them
 * twice.
 */
function digitsData(): Plugin {
  const dir = fileURLToPath(new URL("dist/data/", import.meta.url));
  const serve: Connect.NextHandleFunction = (request, response, next) => {
    const name = (request.url ?? "").split("?")[0]!.slice(1);
    if (!/^[\w.-]+\.gz$/.test(name) || !existsSync(join(dir, name))) {
      next();
      return;
    }
    response.setHeader("Content-Type", "application/octet-stream");
    createReadStream(join(dir, name)).pipe(response);
  };
  return {
    name: "digits-data",
    configureServer: (server) => void server.middlewares.use("/data", serve),
    configurePreviewServer: (server) => void server.middlewares.use("/data", serve),
  };
}

/**
 * The web page (web/): a view over the same engine, bundled from the
 * TypeScript sources. `base: "./"` makes the build work from any path of any
 * static host; `gradstep serve` serves it from dist/web.
 */
export default defineConfig({
  root: fileURLToPath(new URL("web", import.meta.url)),
  base: "./",
  plugins: [katexWoff2Only(), digitsData()],
  build: {
    outDir: fileURLToPath(new URL("dist/web", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    // Fonts stay files: inlined as data: URLs (Vite does that to files under 4 kB, such as KaTeX's small
    // delimiter fonts) they break the page's Content Security Policy (font-src 'self').
    assetsInlineLimit: (file) => (/\.woff2?$/.test(file) ? false : undefined),
    // exceljs is one large chunk, loaded only when a spreadsheet is downloaded.
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod ships /*@__PURE__*/ comments where Rollup cannot use them: harmless, and not ours to fix.
        if (warning.code === "INVALID_ANNOTATION" && warning.id?.includes("node_modules") === true) return;
        warn(warning);
      },
    },
  },
  worker: { format: "es" },
  // The page imports the engine from src/ and the exercises from examples/, beside web/.
  server: { fs: { allow: [fileURLToPath(new URL(".", import.meta.url))] }, headers: CROSS_ORIGIN_ISOLATION },
  preview: { headers: CROSS_ORIGIN_ISOLATION },
});
