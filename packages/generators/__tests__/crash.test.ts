// A run SIGKILLed right after any step of its write (a test hook kills it
// there, no timing involved): the next run undoes it from the journal, so
// the host is whole or absent, no temp file is left, and the flake evaluates.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { evalFlakeStructure } from "@starter/nix-check";
import { describe, expect, it } from "vitest";
import { type HostAnswers, fsRepo, planHost } from "../src/index.js";
import { readTree, runMain, starterRepos } from "./helpers.js";
import { genProcess, snapshot, workFiles } from "./processes.js";

const repo = starterRepos();

const HOST = ["host", "kr1", "--user", "kru"];
const answers: HostAnswers = { name: "kr1", system: "x86_64-linux", users: ["kru"] };

/** kr1 is wholly there (flake entry, every file, evaluates) or wholly absent. */
function expectWholeOrAbsent(dir: string, expectWhole: boolean): void {
  const tree = readTree(dir);
  const flake = tree["flake.nix"]!;
  const hostFiles = Object.keys(tree).filter((p) => p.startsWith("hosts/kr1/"));
  const hosts = evalFlakeStructure(dir).hosts;
  if (expectWhole) {
    expect(flake).toContain('kr1 = mkHost {\n          hostName = "kr1";');
    expect(hostFiles.sort()).toEqual(["hosts/kr1/configuration.nix", "hosts/kr1/hardware-configuration.nix", "hosts/kr1/home/kru.nix"]);
    expect(hosts.kr1?.users).toEqual(["kru"]);
  } else {
    expect(flake).not.toContain("kr1");
    expect(hostFiles).toEqual([]);
    expect(existsSync(join(dir, "hosts", "kr1"))).toBe(false);
    expect(hosts.kr1).toBeUndefined();
  }
  expect(workFiles(dir)).toEqual([]);
}

describe("a run killed at each step of its write", () => {
  // The plan writes 4 files, flake.nix third: a kill after rename 3 leaves
  // a flake that lists kr1 while its home file is still only a temp.
  it("plans 5 files, flake.nix third, the record last", () => {
    const plan = planHost(fsRepo(repo()), answers);
    expect(plan.changes.map((c) => c.path)).toEqual([
      "hosts/kr1/configuration.nix",
      "hosts/kr1/hardware-configuration.nix",
      "flake.nix",
      "hosts/kr1/home/kru.nix",
      "gen-record.json",
    ]);
  });

  it.each([
    ["journal", "after its journal, before any file", false],
    ["temp:1", "after its first temp file", false],
    ["temp:4", "after its last temp file", false],
    ["rename:1", "after the 1st rename", false],
    ["rename:2", "after the 2nd rename", false],
    ["rename:3", "after the 3rd rename (flake.nix lists kr1, its home is a temp)", false],
    ["rename:4", "after the 4th rename (kr1 whole, the record not yet)", false],
    ["rename:5", "after the last rename, before the journal went", true],
  ])("%s (%s): the next run leaves kr1 whole or absent, no temp files, and the flake evaluates", async (at, _label, finished) => {
    const dir = repo();
    const before = snapshot(dir);
    const killed = await genProcess(HOST, dir, { STARTER_GEN_CRASH_AT: at });
    expect(killed.signal).toBe("SIGKILL");
    expect(existsSync(join(dir, ".gen-journal.json"))).toBe(true);

    // Another command runs next: it settles the killed run first.
    const next = await runMain(["user", "zed", "--host", "example"], dir);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).not.toMatch(/error|\n\s+at /);
    expectWholeOrAbsent(dir, finished);
    if (!finished) {
      // Apart from zed's own files, the tree is as before the killed run.
      const after = snapshot(dir);
      for (const [path, content] of Object.entries(before)) {
        if (path !== "hosts/example/configuration.nix" && path !== "hosts/example/home/") expect(after[path], path).toBe(content);
      }
    }
  });

  it("killed between renames, the same command run again just works", async () => {
    const dir = repo();
    expect((await genProcess(HOST, dir, { STARTER_GEN_CRASH_AT: "rename:2" })).signal).toBe("SIGKILL");
    const again = await runMain(HOST, dir);
    expect(again.stderr).toBe(
      "note: undid an interrupted run (Add host kr1): 2 file(s) it had already changed are back as they were, 3 temp file(s) removed; run it again if you still want it.\n",
    );
    expect(again.code).toBe(0);
    expectWholeOrAbsent(dir, true);
  });

  it("--dry-run after a kill says the next real run undoes it first, and leaves the journal and temp files", async () => {
    const dir = repo();
    expect((await genProcess(HOST, dir, { STARTER_GEN_CRASH_AT: "rename:2" })).signal).toBe("SIGKILL");
    // The killed run's lock may go (it is dead); its journal and temp files stay.
    const before = snapshot(dir, [".gen.lock"]);
    const dry = await runMain(["host", "web2", "--dry-run"], dir);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toBe(
      "note: .gen-journal.json records an interrupted run; the next run without --dry-run undoes it first, so its plan may differ from this one.\n",
    );
    expect(snapshot(dir, [".gen.lock"])).toEqual(before);
  });

  it("a journal that cannot be read: one error line, nothing touched", async () => {
    const dir = repo();
    writeFileSync(join(dir, ".gen-journal.json"), "{ not json");
    const before = snapshot(dir);
    const result = await runMain(["host", "web1"], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: \.gen-journal\.json records an interrupted pnpm gen run but cannot be read: [^\n]+\n$/);
    expect(snapshot(dir)).toEqual(before);
    expect(readFileSync(join(dir, ".gen-journal.json"), "utf8")).toBe("{ not json");
  });

  it("a file edited by hand since the killed run is left as it is, and said so", async () => {
    const dir = repo();
    expect((await genProcess(HOST, dir, { STARTER_GEN_CRASH_AT: "rename:2" })).signal).toBe("SIGKILL");
    writeFileSync(join(dir, "hosts/kr1/configuration.nix"), "# mine now\n{ ... }: { }\n");
    const next = await runMain(["user", "zed", "--host", "example"], dir);
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(/hosts\/kr1\/configuration\.nix changed since and was left as it is: check it \(git diff\)\./);
    expect(readTree(dir)["hosts/kr1/configuration.nix"]).toBe("# mine now\n{ ... }: { }\n");
    expect(workFiles(dir)).toEqual([]);
  });
});
