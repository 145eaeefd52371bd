// The CLI as a script or CI uses it: no TTY, flags only, real files on disk.
// The first test spawns the bin itself; the rest run main() in this process.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evalFlakeStructure } from "@starter/nix-check";
import { describe, expect, it } from "vitest";
import { readTree, runCli, runMain, starterFiles, starterRepos, writeFiles } from "./helpers.js";

const repo = starterRepos();

describe("pnpm gen host", () => {
  it("writes the host, prints a summary and next steps", () => {
    const dir = repo();
    const result = runCli(["host", "--name", "web1", "--system", "aarch64-linux", "--user", "bob"], dir);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✔ Add host web1");
    expect(result.stdout).toMatch(/CREATE hosts\/web1\/configuration\.nix\n.*CREATE hosts\/web1\/hardware-configuration\.nix\n.*UPDATE flake\.nix\n.*CREATE hosts\/web1\/home\/bob\.nix/);
    expect(result.stdout).toContain("Checked: 4 Nix files parse");
    expect(result.stdout).toContain("sudo nixos-rebuild switch --flake .#web1");
    expect(result.stdout).toContain("nixos-generate-config --show-hardware-config > hosts/web1/hardware-configuration.nix");
    const tree = readTree(dir);
    expect(tree["hosts/web1/home/bob.nix"]).toContain("programs.bash.enable = true;");
    const { hosts } = evalFlakeStructure(dir);
    expect(hosts.web1).toMatchObject({ platform: "aarch64-linux", users: ["bob"] });
  });

  it("leaves no Nix waiting and no temp folder behind, whether it checked or stopped at bad input", async () => {
    const dir = repo();
    // A run from a script starts nix-instantiate before its plan is ready (nix-check's warm-parse.ts).
    for (const [args, code] of [[["host", "web1", "--dry-run"], 0], [["host", "Web 1"], 1]] as const) {
      const run = runCli([...args], dir);
      expect(run.code).toBe(code);
      const mark = `nix-parse-${run.pid}-`;
      expect(readdirSync(tmpdir()).filter((n) => n.startsWith(mark))).toEqual([]);
      // An unused one is SIGKILLed as the run ends; on a loaded machine it may take a moment to go.
      const running = () => readdirSync("/proc").filter((p) => /^\d+$/.test(p) && cmdline(p).includes(mark));
      await expect.poll(running, { timeout: 5_000 }).toEqual([]);
    }
  });

  it("a run killed before its check leaves no Nix waiting: its input closes with it", async () => {
    // What gen's entry does first (nix-check's warm-parse.ts), in a Node that is then SIGKILLed.
    const parse = join(import.meta.dirname, "..", "..", "nix-check", "dist", "parse.js");
    const run = spawn(process.execPath, ["--input-type=module", "-e", `import { warmNixParser } from ${JSON.stringify(parse)}; warmNixParser(); setInterval(() => {}, 1000);`]);
    const mark = `nix-parse-${run.pid}-`;
    const nix = () => readdirSync("/proc").filter((p) => /^\d+$/.test(p) && cmdline(p).startsWith("nix-instantiate\0") && cmdline(p).includes(mark));
    try {
      await expect.poll(() => nix().length, { timeout: 20_000 }).toBe(1);
      run.kill("SIGKILL");
      // Without a pipe that closes with the run, it would wait for its 30 s watchdog (or for ever).
      await expect.poll(() => nix(), { timeout: 5_000 }).toEqual([]);
    } finally {
      run.kill("SIGKILL");
      for (const n of readdirSync(tmpdir()).filter((d) => d.startsWith(mark))) rmSync(join(tmpdir(), n), { recursive: true, force: true });
    }
  });

  it("takes the short form, with the defaults", async () => {
    const dir = repo();
    const result = await runMain(["host", "web2"], dir);
    expect(result.code).toBe(0);
    expect(readTree(dir)["flake.nix"]).toContain('web2 = mkHost {\n          hostName = "web2";\n          system = "x86_64-linux";\n        };');
  });

  it("--dry-run prints the plan with diffs and writes nothing", async () => {
    const dir = repo();
    const before = readTree(dir);
    const result = await runMain(["host", "web1", "--dry-run"], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Dry run: Add host web1 (nothing written)");
    expect(result.stdout).toContain('+        web1 = mkHost {\n+          hostName = "web1";\n+          system = "x86_64-linux";\n+        };');
    expect(result.stdout).toContain("--- /dev/null\n+++ b/hosts/web1/configuration.nix");
    expect(readTree(dir)).toEqual(before);
  });

  it("--dry-run leaves even an interrupted run's temp files alone", async () => {
    const dir = repo();
    // Linux hands out no pid above 2^22 (pid_max's ceiling): the run that left this is surely gone.
    writeFiles(dir, { "hosts/example/configuration.nix.4194305.gen-tmp": "half" });
    const before = readTree(dir);
    expect((await runMain(["host", "web1", "--dry-run"], dir)).code).toBe(0);
    expect(readTree(dir)).toEqual(before);
    const real = await runMain(["host", "web1"], dir);
    expect(real.stderr).toContain("removed 1 temp file");
    expect(readTree(dir)["hosts/example/configuration.nix.4194305.gen-tmp"]).toBeUndefined();
  });

  it("finds the repository from a subfolder", async () => {
    const dir = repo();
    const result = await runMain(["host", "web3"], `${dir}/hosts/example`);
    expect(result.code).toBe(0);
    expect(readTree(dir)["hosts/web3/configuration.nix"]).toBeDefined();
  });
});

describe("pnpm gen user", () => {
  it("adds a user to two hosts, standalone too", async () => {
    const dir = repo();
    expect((await runMain(["host", "web1"], dir)).code).toBe(0);
    const result = await runMain(
      ["user", "carol", "--host", "example", "--host", "web1", "--full-name", 'Carol "C" ${x}', "--email", "carol@example.com", "--pattern", "separate", "--shell", "fish", "--standalone"],
      dir,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("home-manager switch --flake .#carol@web1");
    const { hosts, homes } = evalFlakeStructure(dir);
    expect(hosts.example!.users).toEqual(["alice", "carol"]);
    expect(hosts.web1!.homeUsers.carol!.gitName).toBe('Carol "C" ${x}');
    expect(Object.keys(homes)).toEqual(["alice", "carol@example", "carol@web1"]);
  });
});

describe("gen user without any host", () => {
  it("says to add a host first, in one line, before anything else", async () => {
    const files = Object.fromEntries(Object.entries(starterFiles()).filter(([p]) => !p.startsWith("hosts/")));
    const dir = repo(files);
    for (const args of [["user", "bob", "--host", "web1"], ["user"]]) {
      const result = await runMain(args, dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe("error: There are no hosts yet (no hosts/<name>/configuration.nix): add one first with pnpm gen host <name>.\n");
    }
  });
});

describe("help and errors", () => {
  it("lists generators and their flags", async () => {
    const general = await runMain(["--help"], repo());
    expect(general.code).toBe(0);
    expect(general.stdout).toMatch(/host +Add a host/);
    expect(general.stdout).toMatch(/user +Add a user/);
    const host = await runMain(["host", "--help"], repo());
    for (const flag of ["--name", "--system <x86_64-linux|aarch64-linux|aarch64-darwin|x86_64-darwin>", "--state-version", "--user", "--dry-run"]) expect(host.stdout).toContain(flag);
    const user = await runMain(["user", "--help"], repo());
    for (const flag of ["--host", "--full-name", "--email", "--pattern <separate|shared|reuse>", "--shell <bash|zsh|fish>", "--standalone", "--from", "--admin, --no-admin", "--ssh-key <value>", "--ssh-key-file <value>", "-y, --yes"]) {
      expect(user.stdout).toContain(flag);
    }
  });

  it.each([
    [["host"], /Missing --name: pass it as a flag/],
    [["user", "alice"], /Missing --host/],
    [["host", "Web1"], /uppercase/],
    [["host", "example"], /already exists/],
    [["user", "bob", "--host", "nope"], /There is no host "nope" \(no hosts\/nope\/configuration\.nix\): the hosts here are example\./],
    [["host", "web1", "--system", "x86_64-linux", "--system", "aarch64-linux"], /--system is given 2 times \(x86_64-linux, aarch64-linux\): give it once\./],
    [["host", "web1", "--state-version", "24.11", "--state-version=25.05"], /--state-version is given 2 times/],
    [["user", "bob", "--host", "example", "--pattern", "shared", "--pattern", "reuse"], /--pattern is given 2 times/],
    [["host", "web1", "--root", ".", "--root", "."], /--root is given 2 times/],
    [["host", "web1", "--colour"], /Unknown option '--colour'/],
    [["frobnicate"], /no generator called "frobnicate"/],
    [["host", "a", "b"], /Too many arguments/],
  ])("%j fails with one sentence and changes nothing", async (args, message) => {
    const dir = repo();
    const before = readTree(dir);
    const result = await runMain(args, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: .*[.:].*\.\n$/);
    expect(readTree(dir)).toEqual(before);
  });
});

function cmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
}
