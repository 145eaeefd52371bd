// The test hooks (STARTER_GEN_CRASH_AT, _FAIL_AT, _PAUSE_MS, _PAUSE_AT) exist only in
// the tests' own entry: the shipped bin runs normally whatever they say.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { GEN_BIN, readTree, starterRepos } from "./helpers.js";

const repo = starterRepos();

describe("bin/gen.mjs ignores the test hooks", () => {
  it.each([
    { STARTER_GEN_CRASH_AT: "rename:1", STARTER_GEN_FAIL_AT: "rename:EROFS" },
    { STARTER_GEN_CRASH_AT: "journal" },
    { STARTER_GEN_CRASH_AT: "temp:1" },
    { STARTER_GEN_FAIL_AT: "journal:ENOSPC" },
    { STARTER_GEN_FAIL_AT: "mkdir:EPERM" },
    { STARTER_GEN_PAUSE_MS: "60000" },
    { STARTER_GEN_PAUSE_MS: "60000", STARTER_GEN_PAUSE_AT: "2" },
  ])("%o: gen host web9 --yes writes the host", (hooks) => {
    const dir = repo();
    const run = spawnSync(process.execPath, [GEN_BIN, "host", "web9", "--yes"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, INIT_CWD: dir, ...hooks },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 30_000,
    });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("✔ Add host web9");
    expect(readTree(dir)["hosts/web9/configuration.nix"]).toContain("pnpm gen user --host web9");
  });
});
