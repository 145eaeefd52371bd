// One lint setup for the whole repository, run once from the root (`pnpm lint`: eslint, then knip).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/build/**", "**/.docusaurus/**", "**/node_modules/**", "**/src/generated/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  // The generators' import directions (packages/generators/src): the Nix
  // editors stand alone, and writing never depends on what is generated.
  {
    files: ["packages/generators/src/nix/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["../*", "@starter/*"], message: "nix/ imports nothing else in the package: keep it a standalone Nix library." }] }],
    },
  },
  {
    files: ["packages/generators/src/write/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["../generators/*", "../generators"], message: "write/ never imports generators/: it writes any plan, whoever made it." }] }],
    },
  },
);
