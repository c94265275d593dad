// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // src/kernels/assembly is AssemblyScript: TypeScript syntax, WebAssembly types (f32, v128).
  { ignores: ["dist/", "node_modules/", "coverage/", "test-artifacts/", "src/kernels/assembly/", "bench/.peers/"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ["eslint.config.js"] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unused-vars": ["error", { varsIgnorePattern: "^_", argsIgnorePattern: "^_" }],
      // Names and numbers are walked by code point on purpose ([..."w₁₂"]), which is what spreading a string does.
      "@typescript-eslint/no-misused-spread": "off",
    },
  },
  {
    // Tests break valid files on purpose, which is easiest on loosely typed JSON.
    files: ["test/**/*.ts", "src/**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-confusing-void-expression": "off",
    },
  },
  {
    // The page is typed by its own tsconfig: the DOM library and Vite's bundler resolution.
    files: ["web/**/*.ts"],
    languageOptions: { parserOptions: { projectService: false, project: "./web/tsconfig.json", tsconfigRootDir: import.meta.dirname } },
  },
  { files: ["**/*.js", "**/*.mjs"], extends: [tseslint.configs.disableTypeChecked] },
  // Build scripts run on Node as they are.
  { files: ["scripts/**/*.mjs"], languageOptions: { globals: { process: "readonly", Buffer: "readonly" } } },
);
