// pnpm 10 hands every script it runs pnpm_config_verify_deps_before_run=false,
// a string its nested runs take as true: each `pnpm run` that Turborepo
// starts then checks the install and rewrites node_modules/.pnpm-workspace-
// state-v1.json in place, and a task starting meanwhile reads it half written
// ("Unexpected end of JSON input"). The root scripts that start Turborepo
// unset it, so its tasks run pnpm as a user's shell does.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> };
const viaTurbo = Object.entries(root.scripts).filter(([, command]) => /\bturbo run\b/.test(command));

describe("the root scripts that start Turborepo", () => {
  it("are the ones the README and CI use", () => {
    expect(viaTurbo.map(([name]) => name)).toEqual(expect.arrayContaining(["build", "test", "typecheck", "docs"]));
  });

  it.each(viaTurbo)("%s unsets pnpm's verify-deps variable for its tasks", (_name, command) => {
    for (const run of command.split("&&").filter((part) => /\bturbo run\b/.test(part))) {
      expect(run.trim()).toMatch(/^env -u pnpm_config_verify_deps_before_run turbo run /);
    }
  });
});
