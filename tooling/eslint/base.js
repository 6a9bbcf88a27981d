// One type-aware lint setup for the whole repo (packages run `eslint .`, which finds the root config).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "**/.turbo/**", "**/.data/**", "**/*.js", "**/*.mjs"] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
      // `interface Database extends CoreTables {}` grows by extends, one context at a time.
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
    },
  },
  {
    // Tests may use non-null assertions on fixtures they just created.
    files: ["**/test/**/*.ts", "**/*.test.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "off", "@typescript-eslint/no-unsafe-assignment": "off" },
  },
  {
    // The README's runnable examples print what they got.
    files: ["examples/**/*.ts"],
    rules: { "no-console": "off" },
  },
  {
    // The web app is the typed client's first frontend: it reaches the platform only through
    // @deltacrown/client (by package name), never the api, domain or db packages or their sources.
    files: ["apps/web/src/**/*.ts", "apps/web/src/**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@deltacrown/*", "!@deltacrown/client"],
              message: "The web app imports only @deltacrown/client of ours.",
            },
            {
              group: ["**/packages/**", "**/apps/server/**", "**/apps/worker/**", "**/tooling/**"],
              message: "The web app imports only @deltacrown/client of ours, by package name.",
            },
          ],
        },
      ],
    },
  },
);
