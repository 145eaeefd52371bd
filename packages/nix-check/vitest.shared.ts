// What the packages' Vitest configs share: the unit/nix/process projects and
// the JSON report bench/suite.mjs reads (only when it asks, through
// STARTER_TEST_REPORT, a folder).
import { join } from "node:path";
import type { TestProjectInlineConfiguration } from "vitest/config";

type Reporter = string | [string, Record<string, unknown>];

export function reporters(name: string): Reporter[] {
  const dir = process.env.STARTER_TEST_REPORT;
  return dir ? ["default", ["json", { outputFile: join(dir, `${name}.json`) }]] : ["default"];
}

/** unit and process from the lists of file names; nix is every other file. */
export function projects(lists: { unit: string[]; process: string[] }, dir = "__tests__"): TestProjectInlineConfiguration[] {
  const files = (names: string[]) => names.map((n) => `${dir}/${n}.test.ts`);
  const all = `${dir}/**/*.test.ts`;
  return [
    ...(lists.unit.length > 0 ? [{ extends: true as const, test: { name: "unit", include: files(lists.unit) } }] : []),
    ...(lists.process.length > 0 ? [{ extends: true as const, test: { name: "process", include: files(lists.process) } }] : []),
    { extends: true as const, test: { name: "nix", include: [all], exclude: [...files(lists.unit), ...files(lists.process)] } },
  ];
}
