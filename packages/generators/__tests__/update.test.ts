// gen update through the real CLI (in-process main), on temp forks made as
// git repos here: the generators record what they render in
// gen-record.json, a commit changes templates, then the three-way merge
// into the owner's edited files.
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkFork, nixAvailable } from "@starter/nix-check";
import { describe, expect, it } from "vitest";
import { type Render, RECORD_FILE, blobId, formatRecord, readRecord, recordRun } from "../src/repo/record.js";
import { fsRepo } from "../src/repo/tree.js";
import { renderSource } from "../src/generators/update/sources.js";
import { REPO_ROOT, readTree, runMain, starterRepos } from "./helpers.js";

const repo = starterRepos();
const git = (dir: string, ...args: string[]) => {
  const run = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
};
const commit = (dir: string, message: string) => (git(dir, "add", "-A"), git(dir, "commit", "-qm", message));
const read = (dir: string, path: string) => readFileSync(join(dir, path), "utf8");
const edit = (dir: string, path: string, from: string, to: string) => {
  const text = read(dir, path);
  expect(text).toContain(from);
  writeFileSync(join(dir, path), text.replace(from, to));
};

/** A fork: the starter with its templates, committed. */
function fork(): string {
  const dir = repo();
  cpSync(join(REPO_ROOT, "templates"), join(dir, "templates"), { recursive: true });
  git(dir, "init", "-q");
  git(dir, "config", "user.email", "owner@example.com");
  git(dir, "config", "user.name", "Owner");
  commit(dir, "fork of the starter");
  return dir;
}

/** Runs a generator through the CLI: it records what it rendered itself. */
async function gen(dir: string, ...args: string[]): Promise<void> {
  const run = await runMain(args, dir);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
}

/** `pnpm gen update …` in `dir`. */
const update = (dir: string, ...args: string[]) => runMain(["update", ...args], dir);

const OWNER_LINE = "  programs.bash.enable = true;\n  home.packages = with pkgs; [ jq ];\n";

/** The fork: web1 with alice (shared) and bob (separate), committed, then alice's home edited. */
async function web1(): Promise<string> {
  const dir = fork();
  await gen(dir, "host", "web1");
  await gen(dir, "user", "alice", "--host", "web1", "--pattern", "shared");
  await gen(dir, "user", "bob", "--host", "web1", "--pattern", "separate");
  commit(dir, "web1 with alice and bob");
  edit(dir, "hosts/web1/home/alice.nix", "  programs.bash.enable = true;\n", OWNER_LINE);
  commit(dir, "alice wants jq on web1");
  return dir;
}

/** The starter's commit: a line added to the shared home, a default changed in a host's configuration. */
function changeTemplates(dir: string): void {
  edit(dir, "templates/user/home-shared.nix.hbs", "  home.stateVersion = {{nix-string stateVersion}};\n", '  home.stateVersion = {{nix-string stateVersion}};\n  news.display = "silent";\n');
  edit(dir, "templates/host/configuration.nix.hbs", "  boot.loader.systemd-boot.enable = true;\n", "  boot.loader.systemd-boot.enable = lib.mkDefault true;\n");
  commit(dir, "starter: quieter homes, systemd-boot as a default");
}

describe("gen update", () => {
  it("merges the templates' change into alice's edited home and web1's configuration, every other byte unchanged", async () => {
    const dir = await web1();
    changeTemplates(dir);
    const before = readTree(dir);
    const result = await update(dir);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("user/web1/alice");
    const after = readTree(dir);

    const alice = before["hosts/web1/home/alice.nix"]!;
    expect(after["hosts/web1/home/alice.nix"]).toBe(alice.replace('home.stateVersion = "26.05";\n', 'home.stateVersion = "26.05";\n  news.display = "silent";\n'));
    expect(after["hosts/web1/home/alice.nix"]).toContain(OWNER_LINE);
    const config = before["hosts/web1/configuration.nix"]!;
    expect(after["hosts/web1/configuration.nix"]).toBe(config.replace("systemd-boot.enable = true;", "systemd-boot.enable = lib.mkDefault true;"));
    // Bob's template did not change; nothing else moved but the record.
    const changed = Object.keys(after).filter((f) => after[f] !== before[f]);
    expect(changed.sort()).toEqual([RECORD_FILE, "hosts/web1/configuration.nix", "hosts/web1/home/alice.nix"]);
    expect(git(dir, "status", "--porcelain").split("\n").filter(Boolean).sort()).toEqual([` M ${RECORD_FILE}`, " M hosts/web1/configuration.nix", " M hosts/web1/home/alice.nix"]);

    // The record moved to the current blobs: a second run does nothing.
    const record = readRecord(fsRepo(dir));
    expect(record.entities["user/web1/alice"]!.templates.find((t) => t.template === "user/home-shared.nix.hbs")!.blob).toBe(blobId(read(dir, "templates/user/home-shared.nix.hbs")));
    const again = await update(dir);
    expect(again).toMatchObject({ code: 0, stderr: "", stdout: expect.stringMatching(/^Nothing to update/) });
    expect(readTree(dir)).toEqual(after);
    if (nixAvailable()) expect(checkFork(dir).problems).toEqual([]);
  });

  it("with --dry-run shows the diffs and writes nothing", async () => {
    const dir = await web1();
    changeTemplates(dir);
    const before = readTree(dir);
    const result = await update(dir, "--dry-run");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('+  news.display = "silent";');
    expect(result.stdout).toContain("+  boot.loader.systemd-boot.enable = lib.mkDefault true;");
    expect(readTree(dir)).toEqual(before);
  });

  it("leaves conflict markers in the one file where template and owner changed the same place, exits 1 naming it", async () => {
    const dir = await web1();
    changeTemplates(dir);
    edit(dir, "templates/user/home-shared.nix.hbs", "  programs.{{shell}}.enable = true;\n", "  programs.{{shell}}.enable = true;\n  home.packages = with pkgs; [ git ];\n");
    commit(dir, "starter: git in every home");
    const before = readTree(dir);
    const dry = await update(dir, "--dry-run");
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain("+<<<<<<< hosts/web1/home/alice.nix");
    expect(dry.stderr).toMatch(/^error: the update would leave conflict markers in hosts\/web1\/home\/alice\.nix[^\n]*\n$/);
    expect(readTree(dir)).toEqual(before);
    const result = await update(dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("CONFLICT hosts/web1/home/alice.nix");
    expect(result.stdout).not.toMatch(/CONFLICT (?!hosts\/web1\/home\/alice\.nix)/);
    expect(result.stderr).toMatch(/^error: conflict markers left in hosts\/web1\/home\/alice\.nix: resolve them[^\n]*\n$/);
    const alice = read(dir, "hosts/web1/home/alice.nix");
    expect(alice).toContain("<<<<<<< hosts/web1/home/alice.nix\n  home.packages = with pkgs; [ jq ];\n=======\n  home.packages = with pkgs; [ git ];\n>>>>>>> templates/user/home-shared.nix.hbs now\n");
    expect(alice).toContain('  news.display = "silent";\n');
    expect(read(dir, "hosts/web1/configuration.nix")).toContain("lib.mkDefault true");
    expect(read(dir, "hosts/web1/configuration.nix")).not.toContain("<<<<<<<");
    expect(read(dir, "hosts/web1/home/bob.nix")).toBe(before["hosts/web1/home/bob.nix"]);
    if (nixAvailable()) {
      const problems = checkFork(dir).problems;
      expect(problems).toEqual([{ file: "hosts/web1/home/alice.nix", reason: expect.stringContaining("resolve the conflict markers") }]);
    }
    // The record moved on, conflicts and all: the next run does not conflict again.
    const again = await update(dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Nothing to update/);
  });

  it("merges a changed account block inside web1's configuration.nix, found by structure, and a flake entry", async () => {
    const dir = await web1();
    edit(dir, "templates/user/account.block.hbs", "  isNormalUser = true;\n", "  isNormalUser = true;\n  linger = false;\n");
    edit(dir, "templates/host/flake-host.entry.hbs", "  system = {{nix-string system}};\n", "  system = {{nix-string system}};\n  # {{hostName}}\n");
    commit(dir, "starter: lingering off by default; a comment in host entries");
    const before = readTree(dir);
    const result = await update(dir, "--yes");
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const config = read(dir, "hosts/web1/configuration.nix");
    expect(config.match(/linger = false;/g)).toHaveLength(2);
    expect(config.replace(/\n *linger = false;/g, "")).toBe(before["hosts/web1/configuration.nix"]);
    const flake = read(dir, "flake.nix");
    expect(flake.replace(/\n *# web1\n/, "\n")).toBe(before["flake.nix"]);
    expect(flake).toMatch(/system = "x86_64-linux";\n\s+# web1\n\s+};/);
  });

  it("follows nixosConfigurations into the file flake.nix imports it from: merges there, and --adopt records the entry", async () => {
    const dir = fork();
    // The owner moved the hosts out of flake.nix, as the generators reference page allows.
    const flake = read(dir, "flake.nix").replace(/nixosConfigurations = \{\n\s*example = mkHost \{[^}]*\};\n\s*\};/, "nixosConfigurations = import ./hosts { inherit mkHost; };");
    expect(flake).toContain("import ./hosts");
    writeFileSync(join(dir, "flake.nix"), flake);
    writeFileSync(join(dir, "hosts/default.nix"), '{ mkHost }:\n{\n  example = mkHost {\n    hostName = "example";\n    system = "x86_64-linux";\n  };\n}\n');
    await gen(dir, "host", "web1");
    expect(read(dir, "hosts/default.nix")).toContain("web1 = mkHost {");
    commit(dir, "web1, hosts in hosts/default.nix");
    const before = readTree(dir);
    edit(dir, "templates/host/flake-host.entry.hbs", "  system = {{nix-string system}};\n", "  system = {{nix-string system}};\n  # {{hostName}}\n");
    commit(dir, "starter: a comment in host entries");
    expect(await update(dir, "--yes")).toMatchObject({ code: 0, stderr: "" });
    expect(read(dir, "flake.nix")).toBe(flake);
    const hosts = read(dir, "hosts/default.nix");
    expect(hosts).toBe(before["hosts/default.nix"]!.replace('hostName = "web1";\n    system = "x86_64-linux";\n', 'hostName = "web1";\n    system = "x86_64-linux";\n    # web1\n'));
    // A fork without a record: --adopt reads the entry there too, so the next template change reaches it.
    rmSync(join(dir, RECORD_FILE));
    commit(dir, "no record");
    expect((await update(dir, "--adopt")).code).toBe(0);
    const entry = readRecord(fsRepo(dir)).entities["host/web1"]!.templates.find((t) => t.fragment?.kind === "flake-entry");
    expect(entry).toMatchObject({ template: "host/flake-host.entry.hbs", fragment: { output: "nixosConfigurations", key: "web1" } });
  });

  it("merges a change to configuration.nix's last comment, right above the users' blocks, without a conflict", async () => {
    const dir = await web1();
    edit(dir, "templates/host/configuration.nix.hbs", "adds them below.\n", "adds them below,\n  # and `pnpm gen remove user <name> --host {{hostName}}` takes them out.\n");
    commit(dir, "starter: say how users go");
    const before = read(dir, "hosts/web1/configuration.nix");
    const result = await update(dir);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(read(dir, "hosts/web1/configuration.nix")).toBe(before.replace("adds them below.\n", "adds them below,\n  # and `pnpm gen remove user <name> --host web1` takes them out.\n"));
  });

  it("names the one command to run when an old template is missing from a shallow clone", async () => {
    const dir = await web1();
    changeTemplates(dir);
    const clone = repo({});
    git(clone, "clone", "-q", "--depth", "1", `file://${dir}`, "fork");
    const result = await update(join(clone, "fork"));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: [^\n]* is not in this shallow clone: run git fetch --unshallow, then run again\.\n$/);
  });

  it("with --host touches that host's entities only, and refuses a host it has no record of", async () => {
    const dir = await web1();
    changeTemplates(dir);
    const before = readTree(dir);
    const db1 = await update(dir, "--host", "example");
    expect(db1.code).toBe(1);
    expect(db1.stderr).toMatch(/^error: [^\n]*records nothing of host example[^\n]*\n$/);
    expect(readTree(dir)).toEqual(before);
    const result = await update(dir, "--dry-run", "--host", "web1");
    expect(result.stdout).toContain("UPDATE hosts/web1/home/alice.nix");
  });

  it("gen remove user alice --host web1 removes alice's record only; gen remove host web1 the rest", async () => {
    const dir = await web1();
    expect(Object.keys(readRecord(fsRepo(dir)).entities).sort()).toEqual(["host/web1", "user/web1/alice", "user/web1/bob"]);
    const run = await runMain(["remove", "user", "alice", "--host", "web1", "--yes"], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`UPDATE ${RECORD_FILE}`);
    expect(Object.keys(readRecord(fsRepo(dir)).entities).sort()).toEqual(["host/web1", "user/web1/bob"]);
    expect((await runMain(["remove", "host", "web1", "--yes"], dir)).code).toBe(0);
    // The last entity gone, the file goes: the fork is the starter again, byte for byte.
    expect(readTree(dir)[RECORD_FILE]).toBeUndefined();
  });

  it("records each generator's resolved answers and its templates' blob ids, and the deployment", async () => {
    const dir = fork();
    await gen(dir, "host", "web2", "--target-host", "deploy@192.0.2.2", "--tag", "web");
    const record = readRecord(fsRepo(dir));
    expect(Object.keys(record.entities).sort()).toEqual(["deploy/web2", "host/web2"]);
    expect(record.entities["host/web2"]).toMatchObject({ generator: "host", answers: { hostName: "web2", system: "x86_64-linux", stateVersion: "26.05" } });
    expect(record.entities["host/web2"]!.files).toEqual(["flake.nix", "hosts/web2/configuration.nix", "hosts/web2/hardware-configuration.nix"]);
    for (const t of Object.values(record.entities).flatMap((e) => e.templates)) expect(t.blob).toBe(blobId(read(dir, `templates/${t.template}`)));
    expect(record.entities["host/web2"]!.templates.map((t) => t.template)).not.toContain("host/hardware-configuration.nix.hbs");
  });
});

describe("the record", () => {
  it("holds git's own blob ids, and the same bytes whatever order the renders came in", () => {
    const source = read(REPO_ROOT, "templates/user/home-shared.nix.hbs");
    const run = spawnSync("git", ["hash-object", "--stdin"], { input: source, encoding: "utf8" });
    expect(blobId(source)).toBe(run.stdout.trim());
    const data = { hostName: "web1", system: "x86_64-linux", stateVersion: "26.05" };
    const renders: Render[] = [
      { template: "host/configuration.nix.hbs", data, source: "a" },
      { template: "host/flake-host.entry.hbs", data, source: "b" },
      { template: "host/deployment.nix.hbs", data: { hostName: "web1", target: false, oneTag: "web", manyTags: false }, source: "c" },
    ];
    const one = formatRecord(recordRun({ entities: {} }, renders));
    expect(formatRecord(recordRun({ entities: {} }, [...renders].reverse()))).toBe(one);
    expect(Object.keys(JSON.parse(one).entities)).toEqual(["deploy/web1", "host/web1"]);
  });
});

describe("gen update --adopt", () => {
  it("records the hosts and users of a fork made without a record, changing no .nix file", async () => {
    const dir = fork();
    for (const args of [["host", "web1"], ["user", "alice", "--host", "web1", "--pattern", "shared", "--email", "a@example.com"], ["user", "bob", "--host", "web1", "--pattern", "separate", "--shell", "zsh"]]) {
      expect((await runMain(args, dir)).code).toBe(0);
    }
    // The previous release wrote the same files, without a record.
    rmSync(join(dir, RECORD_FILE));
    commit(dir, "web1, before the record");
    const before = readTree(dir);
    const result = await update(dir, "--adopt");
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const after = readTree(dir);
    expect(Object.keys(after).filter((f) => after[f] !== before[f])).toEqual([RECORD_FILE]);
    const record = readRecord(fsRepo(dir));
    expect(Object.keys(record.entities).sort()).toEqual(["home/alice", "host/example", "host/web1", "user/example/alice", "user/web1/alice", "user/web1/bob"]);
    // The answers were read right: the current templates render the homes as they are.
    for (const [id, file] of [["user/web1/alice", "hosts/web1/home/alice.nix"], ["user/web1/bob", "hosts/web1/home/bob.nix"], ["home/alice", "nix/alice/home.nix"]] as const) {
      const t = record.entities[id]!.templates.find((x) => x.file === file)!;
      expect(renderSource(read(dir, `templates/${t.template}`), record.entities[id]!.answers), id).toBe(after[file]);
    }
    // Later template changes flow to them.
    commit(dir, "record");
    changeTemplates(dir);
    const updated = await update(dir);
    expect(updated).toMatchObject({ code: 0, stderr: "" });
    expect(read(dir, "hosts/web1/home/alice.nix")).toContain('news.display = "silent";');
    expect(read(dir, "hosts/web1/configuration.nix")).toContain("systemd-boot.enable = lib.mkDefault true;");
    expect((await update(dir, "--adopt")).stdout).toMatch(/^Nothing to adopt/);
  });

  it("reads a user's shell line and a Mac's primaryUser back by structure, so the recorded block renders as the fork holds it", async () => {
    const dir = fork();
    for (const args of [["host", "web1"], ["user", "bob", "--host", "web1", "--shell", "zsh"], ["host", "mac1", "--system", "aarch64-darwin"], ["user", "carol", "--host", "mac1", "--shell", "fish"]]) {
      expect((await runMain(args, dir)).code).toBe(0);
    }
    const made = readRecord(fsRepo(dir));
    rmSync(join(dir, RECORD_FILE));
    // A comment that names the option must not count as setting it.
    edit(dir, "hosts/web1/configuration.nix", "# bob\n", "# bob (programs.fish.enable is not set here)\n");
    commit(dir, "before the record");
    expect((await update(dir, "--adopt")).code).toBe(0);
    const adopted = readRecord(fsRepo(dir));
    for (const [id, config] of [["user/web1/bob", "hosts/web1/configuration.nix"], ["user/mac1/carol", "hosts/mac1/configuration.nix"]] as const) {
      const { answers, templates } = adopted.entities[id]!;
      expect(answers, id).toMatchObject({ enableShell: true });
      expect(answers.enableShell, id).toBe(made.entities[id]!.answers.enableShell);
      const block = templates.find((t) => t.template.includes("account"))!;
      for (const line of renderSource(read(dir, `templates/${block.template}`), answers).split("\n").filter((l) => l.trim() !== "")) {
        expect(read(dir, config), `${id}: ${line}`).toContain(line.trim());
      }
    }
    expect(adopted.entities["user/mac1/carol"]!.answers).toMatchObject({ primaryUser: true, shell: "fish" });
    expect(adopted.entities["user/web1/bob"]!.answers).toMatchObject({ primaryUser: false, shell: "zsh" });
  });
});
