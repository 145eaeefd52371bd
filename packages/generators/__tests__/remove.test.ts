// pnpm gen remove host|user: adding then removing gives the tree back byte
// for byte (files, folders, modes); hand-edited blocks go whole; what cannot
// go safely is refused with the tree unchanged; a removal killed or failing
// half-way is undone from the journal.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { evalFlakeStructure, nixAvailable } from "@starter/nix-check";
import { describe, expect, it } from "vitest";
import { PATTERNS, type Plan, applyPlan, memoryRepo, planHost, planRemoveHost, planRemoveUser, planUser } from "../src/index.js";
import { applyInMemory, runMain, starterFiles, starterRepos } from "./helpers.js";
import { hostSystem } from "../src/repo/facts.js";
import { testHooks } from "../src/write/test-hooks.js";
import { genProcess, snapshot, workFiles } from "./processes.js";

const repo = starterRepos();

async function gen(dir: string, ...args: string[]): Promise<string> {
  const run = await runMain(args, dir);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return run.stdout;
}

/** Runs a command that must be refused: one `error:` line, exit 1, the tree as it was. */
async function refused(dir: string, ...args: string[]): Promise<string> {
  const before = snapshot(dir);
  const run = await runMain(args, dir);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe("");
  expect(run.stderr).toMatch(/^error: [^\n]+\n$/);
  expect(snapshot(dir)).toEqual(before);
  return run.stderr;
}

describe("the issue's sequence, on disk", () => {
  it("removing ru2 and ru3 gives the tree after gen host rm1; removing rm1 gives the starter", async () => {
    const dir = repo();
    const start = snapshot(dir);
    await gen(dir, "host", "rm1", "--user", "ru1");
    const afterHost = snapshot(dir);
    await gen(dir, "user", "ru2", "--host", "rm1", "--host", "example", "--pattern", "separate", "--standalone");
    await gen(dir, "user", "ru3", "--host", "rm1", "--pattern", "reuse", "--standalone");
    expect(existsSync(join(dir, "nix/ru3/home.nix"))).toBe(true);

    const out = await gen(dir, "remove", "user", "ru2", "--yes");
    expect(out).toContain("✔ Remove user ru2");
    expect(out).toContain("DELETE hosts/example/home/ru2.nix");
    await gen(dir, "remove", "user", "ru3", "--yes");
    expect(snapshot(dir)).toEqual(afterHost);

    await gen(dir, "remove", "host", "rm1", "--yes");
    expect(snapshot(dir)).toEqual(start);
    expect(existsSync(join(dir, "hosts/rm1"))).toBe(false);
  });

  it("a deleted file keeps nothing of the run behind: no journal, lock or temp file", async () => {
    const dir = repo();
    await gen(dir, "host", "rm1", "--user", "ru1");
    await gen(dir, "remove", "host", "rm1", "--yes");
    expect(workFiles(dir)).toEqual([]);
  });
});

describe("round trips in memory: every pattern, standalone or not, one host or several", () => {
  // The starter plus host rm1 (no users): the state each user is added to and removed from.
  const base = applyInMemory(starterFiles(), planHost(memoryRepo(starterFiles()), { name: "rm1", system: "aarch64-linux" }));
  const apply = (files: Record<string, string>, plan: Plan) => applyInMemory(files, plan);

  const cases = PATTERNS.flatMap((pattern) =>
    [false, true].flatMap((standalone) =>
      (["bash", "zsh", "fish"] as const).flatMap((shell) => [
        { pattern, standalone, shell, hosts: ["rm1"] },
        { pattern, standalone, shell, hosts: ["rm1", "example"] },
      ]),
    ),
  );

  it.each(cases)("$pattern, standalone $standalone, $shell, on $hosts: remove user gives the tree back", ({ pattern, standalone, shell, hosts }) => {
    const added = apply(base, planUser(memoryRepo(base), { name: "rt", hosts, pattern, standalone, shell }));
    expect(added).not.toEqual(base);
    const removed = apply(added, planRemoveUser(memoryRepo(added), { name: "rt", hosts: [] }));
    expect(removed).toEqual(base);
  });

  it.each(cases.filter((c) => c.hosts.length > 1))(
    "$pattern, standalone $standalone, $shell: remove user --host rm1 leaves what adding to example alone gives",
    ({ pattern, standalone, shell }) => {
      const both = apply(base, planUser(memoryRepo(base), { name: "rt", hosts: ["example", "rm1"], pattern, standalone, shell }));
      const exampleOnly = apply(base, planUser(memoryRepo(base), { name: "rt", hosts: ["example"], pattern, standalone, shell }));
      const removed = apply(both, planRemoveUser(memoryRepo(both), { name: "rt", hosts: ["rm1"] }));
      expect(removed).toEqual(exampleOnly);
    },
  );

  it("reuse of an existing standalone config (alice's): removing alice from rm1 keeps nix/alice", () => {
    const added = apply(base, planUser(memoryRepo(base), { name: "alice", hosts: ["rm1"], pattern: "reuse" }));
    const removed = apply(added, planRemoveUser(memoryRepo(added), { name: "alice", hosts: ["rm1"] }));
    expect(removed).toEqual(base);
  });

  it("programs.zsh.enable stays while another user on the host logs in with zsh", () => {
    const one = apply(base, planUser(memoryRepo(base), { name: "z1", hosts: ["rm1"], shell: "zsh" }));
    const two = apply(one, planUser(memoryRepo(one), { name: "z2", hosts: ["rm1"], shell: "zsh" }));
    const withoutZ1 = apply(two, planRemoveUser(memoryRepo(two), { name: "z1", hosts: [] }));
    expect(withoutZ1["hosts/rm1/configuration.nix"]).toContain("programs.zsh.enable = true;");
    expect(withoutZ1["hosts/rm1/configuration.nix"]).not.toContain("z1");
    // The starter's alice (zsh) on example is the only zsh user there: her line goes with her.
    const noAlice = apply(base, planRemoveUser(memoryRepo(base), { name: "alice", hosts: [] }));
    expect(noAlice["hosts/example/configuration.nix"]).not.toContain("zsh");
    expect(Object.keys(noAlice).filter((p) => p.includes("alice"))).toEqual([]);
  });

  it("a Mac: its users (the first one primaryUser) and the host itself go, giving the starter back", () => {
    const start = starterFiles();
    const mac = apply(start, planHost(memoryRepo(start), { name: "mac1", system: "aarch64-darwin" }));
    const one = apply(mac, planUser(memoryRepo(mac), { name: "m1", hosts: ["mac1"], shell: "zsh", standalone: true }));
    expect(one["hosts/mac1/configuration.nix"]).toContain('system.primaryUser = "m1";');
    const two = apply(one, planUser(memoryRepo(one), { name: "m2", hosts: ["mac1"], pattern: "reuse" }));
    expect(apply(two, planRemoveUser(memoryRepo(two), { name: "m2", hosts: [] }))).toEqual(one);
    expect(apply(one, planRemoveUser(memoryRepo(one), { name: "m1", hosts: [] }))).toEqual(mac);
    // m1's "m1@mac1" goes with the host; the darwinConfigurations entry too.
    expect(apply(one, planRemoveHost(memoryRepo(one), { name: "mac1" }))).toEqual(start);
    // m2's standalone config (nix/m2, homeConfigurations.m2) is m2's, not the host's: it stays, and so does its record.
    const removed = apply(two, planRemoveHost(memoryRepo(two), { name: "mac1" }));
    expect(Object.keys(removed).filter((p) => !(p in start))).toEqual(["gen-record.json", "nix/m2/home.nix"]);
    expect(Object.keys(JSON.parse(removed["gen-record.json"]!).entities)).toEqual(["home/m2"]);
  });

  it("a host added with users, removed, gives the starter back", () => {
    const start = starterFiles();
    const added = apply(start, planHost(memoryRepo(start), { name: "rm2", system: "x86_64-linux", users: ["a1", "a2"] }));
    const standalone = apply(added, planUser(memoryRepo(added), { name: "a3", hosts: ["rm2"], standalone: true }));
    expect(apply(standalone, planRemoveHost(memoryRepo(standalone), { name: "rm2" }))).toEqual(start);
  });
});

describe("a flake whose hosts are `builtins.mapAttrs f { … }` over mkHost entries", () => {
  const apply = (files: Record<string, string>, plan: Plan) => applyInMemory(files, plan);
  const start = starterFiles();
  const mapped = { ...start, "flake.nix": start["flake.nix"]!.replace("nixosConfigurations = {", "nixosConfigurations = builtins.mapAttrs (_: h: h) {") };

  it("gen host adds into that set, its system is read from there, and gen remove host takes it out again", () => {
    expect(mapped["flake.nix"]).not.toBe(start["flake.nix"]);
    const added = apply(mapped, planHost(memoryRepo(mapped), { name: "rm3", system: "aarch64-linux" }));
    const hosts = added["flake.nix"]!.slice(added["flake.nix"]!.indexOf("builtins.mapAttrs"), added["flake.nix"]!.indexOf("darwinConfigurations"));
    expect(hosts).toMatch(/\n        rm3 = mkHost \{\n          hostName = "rm3";\n          system = "aarch64-linux";\n        \};\n      \};/);
    // Without the hardware config's platform, the system can only come from the entry.
    const { "hosts/rm3/hardware-configuration.nix": _hw, ...noHardware } = added;
    expect(hostSystem(memoryRepo(noHardware), "rm3")).toBe("aarch64-linux");
    expect(apply(added, planRemoveHost(memoryRepo(added), { name: "rm3" }))).toEqual(mapped);
  });

  it("gen remove host example takes its entry out of the mapped set", () => {
    const removed = apply(mapped, planRemoveHost(memoryRepo(mapped), { name: "example" }));
    expect(removed["flake.nix"]).toContain("nixosConfigurations = builtins.mapAttrs (_: h: h) {\n      };");
    expect(removed["flake.nix"]).not.toMatch(/example = mkHost/);
    expect(Object.keys(removed).filter((p) => p.startsWith("hosts/example/"))).toEqual([]);
  });
});

describe("a Mac", () => {
  const apply = (files: Record<string, string>, plan: Plan) => applyInMemory(files, plan);
  it("added with users and a standalone home, removed, gives the starter back (its darwinConfigurations entry too)", () => {
    const start = starterFiles();
    const added = apply(start, planHost(memoryRepo(start), { name: "mac1", system: "aarch64-darwin", users: ["a1"] }));
    const standalone = apply(added, planUser(memoryRepo(added), { name: "a3", hosts: ["mac1"], standalone: true }));
    expect(standalone["flake.nix"]).toContain("mac1 = mkDarwin {");
    expect(apply(standalone, planRemoveHost(memoryRepo(standalone), { name: "mac1" }))).toEqual(start);
  });
});

describe("blocks edited by hand", () => {
  it("a user block with a line added by hand goes whole, and the host still evaluates", async () => {
    const dir = repo();
    const start = snapshot(dir);
    await gen(dir, "user", "ru2", "--host", "example");
    const config = join(dir, "hosts/example/configuration.nix");
    const text = readFileSync(config, "utf8");
    const edited = text
      .replace("    shell = pkgs.bashInteractive;\n  };\n  home-manager.users.ru2", "    shell = pkgs.bashInteractive;\n    uid = 1234; # added by hand\n    packages = [\n      pkgs.hello\n    ];\n  };\n  home-manager.users.ru2");
    expect(edited).not.toBe(text);
    writeFileSync(config, edited);
    await gen(dir, "remove", "user", "ru2", "--yes");
    expect(snapshot(dir)).toEqual(start);
    if (nixAvailable()) {
      const { hosts } = evalFlakeStructure(dir);
      expect(hosts.example?.users).toEqual(["alice"]);
      expect(Object.keys(hosts.example?.homeUsers ?? {})).toEqual(["alice"]);
    }
  });

  it("removes a home in the form earlier versions wrote (`= import ./home/<u>.nix;`) as it removes the path-valued one", () => {
    const path = "hosts/example/configuration.nix";
    const current = starterFiles();
    expect(current[path]).toContain("  home-manager.users.alice = ./home/alice.nix;\n");
    const old = { ...current, [path]: current[path]!.replace("= ./home/alice.nix;", "= import ./home/alice.nix;") };
    const removed = (files: Record<string, string>) => applyInMemory(files, planRemoveUser(memoryRepo(files), { name: "alice", hosts: ["example"] }));
    expect(removed(old)[path]).not.toMatch(/home-manager\.users\.alice/);
    expect(removed(old)).toEqual(removed(current));
  });

  // The nested entry is in the form earlier versions wrote (`import ./home/hx.nix`): it goes too.
  it("bindings the owner moved apart or rewrote in another form go; lines between them stay", () => {
    const files = applyInMemory(starterFiles(), planUser(memoryRepo(starterFiles()), { name: "hx", hosts: ["example"] }));
    const path = "hosts/example/configuration.nix";
    files[path] = files[path]!
      .replace("  home-manager.users.hx = ./home/hx.nix;\n", "  services.openssh.enable = true;\n  home-manager.users = {\n    hx = import ./home/hx.nix;\n  };\n")
      .replace("    isNormalUser = true;\n", "    isNormalUser = true;\n    extraGroups = [ \"video\" ] ++ [ ];\n");
    const after = applyInMemory(files, planRemoveUser(memoryRepo(files), { name: "hx", hosts: [] }))[path]!;
    expect(after).not.toMatch(/\bhx\b/);
    expect(after).toContain("  services.openssh.enable = true;\n  home-manager.users = {\n  };\n");
  });

  it("a block that shares a line with other code is refused with the lines to delete by hand", async () => {
    const dir = repo();
    await gen(dir, "user", "ru2", "--host", "example");
    const config = join(dir, "hosts/example/configuration.nix");
    writeFileSync(config, readFileSync(config, "utf8").replace("  home-manager.users.ru2 =", "  networking.firewall.enable = true; home-manager.users.ru2 ="));
    const err = await refused(dir, "remove", "user", "ru2", "--yes");
    expect(err).toContain("hosts/example/configuration.nix cannot lose ru2 safely");
    expect(err).toMatch(/delete it by hand \(line \d+ \(`home-manager\.users\.ru2 = \.\/home\/ru2\.nix;`\)\)/);
  });

  it("a standalone config another user's home still imports is refused", async () => {
    const dir = repo();
    await gen(dir, "user", "ru3", "--host", "example", "--pattern", "reuse");
    await gen(dir, "user", "ru4", "--host", "example", "--pattern", "reuse", "--from", "nix/ru3/home.nix");
    const err = await refused(dir, "remove", "user", "ru3", "--yes");
    expect(err).toContain("hosts/example/home/ru4.nix still refers to nix/ru3/");
  });
});

describe("refusals leave the tree as it was", () => {
  async function withRm1(): Promise<string> {
    const dir = repo();
    await gen(dir, "host", "rm1", "--user", "ru1");
    return dir;
  }

  it("remove host rm1 without --yes and without a terminal", async () => {
    const err = await refused(await withRm1(), "remove", "host", "rm1");
    expect(err).toContain("Remove host rm1 (4 files deleted and 1 edited) needs --yes without a terminal");
  });

  it("--dry-run shows the diffs and changes nothing", async () => {
    const dir = await withRm1();
    const before = snapshot(dir);
    const out = await gen(dir, "remove", "host", "rm1", "--dry-run");
    expect(out).toContain("Dry run: Remove host rm1 (nothing written)");
    expect(out).toContain("  DELETE hosts/rm1/configuration.nix");
    expect(out).toContain("+++ /dev/null");
    expect(out).toContain('-        rm1 = mkHost {\n-          hostName = "rm1";\n-          system = "x86_64-linux";\n-        };\n');
    expect(snapshot(dir)).toEqual(before);
  });

  it("an unknown host", async () => {
    expect(await refused(await withRm1(), "remove", "host", "nope", "--yes")).toBe('error: There is no host "nope" (hosts: example, rm1): check the name.\n');
  });

  it("an unknown user", async () => {
    expect(await refused(await withRm1(), "remove", "user", "nobody", "--yes")).toContain("error: There is no user nobody: no host has it (hosts: example, rm1)");
  });

  it("a user on a host it is not on", async () => {
    expect(await refused(await withRm1(), "remove", "user", "ru1", "--host", "example", "--yes")).toContain("ru1 is not on host example");
  });

  it("a user on an unknown host", async () => {
    expect(await refused(await withRm1(), "remove", "user", "ru1", "--host", "nope", "--yes")).toContain('There is no host "nope"');
  });

  it("a name that is a path", async () => {
    expect(await refused(await withRm1(), "remove", "user", "../x", "--yes")).toContain('There is no user "../x"');
    expect(await refused(await withRm1(), "remove", "host", "..", "--yes")).toContain('There is no host ".."');
  });

  it("a file that is not plain text (a link) in the host's folder", async () => {
    const dir = await withRm1();
    const { symlinkSync } = await import("node:fs");
    symlinkSync("configuration.nix", join(dir, "hosts/rm1/link.nix"));
    expect(await refused(dir, "remove", "host", "rm1", "--yes")).toContain("hosts/rm1/link.nix is not a plain file");
  });
});

describe("help", () => {
  it.each([
    [["remove", "host", "--help"], "Usage: pnpm gen remove host <name>"],
    [["remove", "user", "--help"], "Usage: pnpm gen remove user <name> [--host <host> …]"],
    [["remove", "secret", "--help"], "Usage: pnpm gen remove secret <name>"],
    [["remove", "--help"], "Usage: pnpm gen remove <host|user|secret> <name>"],
    [["--help"], "remove  Remove a host, a user (from some hosts or everywhere) or a secret"],
  ])("%j", async (args, text) => {
    const run = await runMain(args, repo());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(text);
  });
});

describe("a removal that fails or is killed half-way is undone", () => {
  it("a failure at the last step (removing a folder) gives every file back", async () => {
    const dir = repo();
    await gen(dir, "host", "rm1", "--user", "ru1");
    chmodSync(join(dir, "hosts/rm1/hardware-configuration.nix"), 0o600);
    const before = snapshot(dir);
    const run = await runMain(["remove", "host", "rm1", "--yes"], dir, { hooks: testHooks({ STARTER_GEN_FAIL_AT: "rmdir:EACCES" }) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: [^\n]*nothing was written[^\n]*\n$/);
    expect(snapshot(dir)).toEqual(before);
  });

  it.each(["rename:1", "rename:3", "rename:4"])("killed after step %s: the next run gives every file back, folders and modes too", async (at) => {
    const dir = repo();
    await gen(dir, "host", "rm1", "--user", "ru1");
    chmodSync(join(dir, "hosts/rm1/hardware-configuration.nix"), 0o600);
    const before = snapshot(dir);
    const killed = await genProcess(["remove", "host", "rm1", "--yes"], dir, { STARTER_GEN_CRASH_AT: at });
    expect(killed.signal).toBe("SIGKILL");
    expect(snapshot(dir)).not.toEqual(before);
    const next = await runMain(["remove", "user", "nobody", "--yes"], dir);
    expect(next.stderr).toMatch(/^note: undid an interrupted run \(Remove host rm1\)/);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("references that removing would break", () => {
  it("a flake entry of the owner's that builds a home the removal deletes is refused", async () => {
    const dir = repo();
    await gen(dir, "user", "ru2", "--host", "example");
    const flake = join(dir, "flake.nix");
    writeFileSync(
      flake,
      readFileSync(flake, "utf8").replace(
        "      homeConfigurations = {\n",
        '      homeConfigurations = {\n        ru2-alt = mkHome { username = "ru2"; system = "x86_64-linux"; modules = [ ./hosts/example/home/ru2.nix ]; };\n',
      ),
    );
    expect(await refused(dir, "remove", "user", "ru2", "--host", "example", "--yes")).toContain("flake.nix still refers to hosts/example/home/ru2.nix");
  });

  it("users.users written as an expression is refused with what to delete by hand", () => {
    const files = starterFiles();
    const path = "hosts/example/configuration.nix";
    files[path] = files[path]!.replace("  # alice\n  users.users.alice = {", "  users.users = lib.mkMerge [ { } ];\n  # alice\n  users.users.alice2 = {");
    expect(() => planRemoveUser(memoryRepo(files), { name: "alice", hosts: ["example"] })).toThrow(
      /cannot lose alice safely because it sets `users\.users` \(or a part of it\) to an expression .*delete `users\.users\.alice` there by hand/,
    );
  });
});

describe("applyPlan with removals", () => {
  it("removes the folders a removal empties (not hosts/ itself), and keeps one the plan writes into", () => {
    const dir = repo({ "flake.nix": "{ }\n", "hosts/a/x/one.nix": "1\n", "hosts/b/one.nix": "1\n", "hosts/c/one.nix": "1\n", "hosts/c/keep.txt": "k\n" });
    applyPlan(
      {
        title: "t",
        changes: [
          { path: "hosts/a/x/one.nix", before: "1\n", after: null },
          { path: "hosts/b/one.nix", before: "1\n", after: null },
          { path: "hosts/b/two.nix", before: null, after: "2\n" },
          { path: "hosts/c/one.nix", before: "1\n", after: null },
        ],
        nextSteps: [],
      },
      dir,
    );
    expect(Object.keys(snapshot(dir)).filter((p) => p.startsWith("hosts"))).toEqual(["hosts/", "hosts/b/", "hosts/b/two.nix", "hosts/c/", "hosts/c/keep.txt"]);
  });
});
