// The prompts, run in-process on a fake terminal (fake-terminal.ts):
// questions appear in order, each answer is refused at its own prompt with
// its reason, a recap asks before writing, and the answers end in the same
// files flags would write. Ctrl-C, a signal, is interactive.test.ts's.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BACKSPACE, CLEAR_LINE, CTRL_C, DOWN, ENTER, drive } from "./fake-terminal.js";
import { readTree, runMain, starterFiles, starterRepos, withEnv } from "./helpers.js";
import { PASSPHRASE, standIn } from "./nixos-anywhere-stand-in.js";

// The tests of a describe run at once, so the temp repos go when all are done.
const repo = starterRepos({ until: "all" });

describe.concurrent("interactive prompts", () => {
  it("gen host asks each question, refuses a bad name with its reason, then writes", async () => {
    const dir = repo();
    const { code, output } = await drive(dir, ["host"], [
      ["Host name", "Lab_1" + ENTER],
      ["has uppercase letters", BACKSPACE.repeat(5) + "lab1" + ENTER],
      ["System", DOWN + ENTER],
      ["NixOS state version", ENTER],
      ["Users to add now", "bob" + ENTER],
      [/Write 5 files\? \(Y\/n\)/, ENTER],
    ]);
    // The recap comes before the question, with every answer.
    const recap = output.indexOf("gen host with:");
    expect(recap).toBeGreaterThan(-1);
    expect(output.slice(recap)).toMatch(/--name +lab1\r?\n\s*--system +aarch64-linux\r?\n\s*--state-version +26\.05\r?\n\s*--user +bob\r?\n/);
    expect(output.indexOf("CREATE hosts/lab1/configuration.nix")).toBeGreaterThan(recap);
    expect(output).toContain("✔ Add host lab1");
    expect(code).toBe(0);
    const tree = readTree(dir);
    expect(tree["flake.nix"]).toContain('lab1 = mkHost {\n          hostName = "lab1";\n          system = "aarch64-linux";\n        };');
    expect(tree["hosts/lab1/home/bob.nix"]).toContain("imports = [ ../../../modules/home ];");
  });

  it("gen deploy asks for the host, a target (refusing a bad one at its prompt) and tags, then writes", async () => {
    const dir = repo();
    const { code, output } = await drive(dir, ["deploy"], [
      ["Host", ENTER], // example, the only host
      ["Target", "a b" + ENTER],
      ["has a space", CLEAR_LINE + "root@192.0.2.7" + ENTER],
      ["Tags", "web, eu" + ENTER],
      [/Write 2 files\? \(Y\/n\)/, ENTER],
    ]);
    expect(output).toMatch(/--target-host +root@192\.0\.2\.7\r?\n\s*--tag +web, eu\r?\n/);
    expect(output).toContain("✔ Set how Colmena deploys example");
    expect(code).toBe(0);
    const file = readTree(dir)["hosts/example/deployment.nix"]!;
    expect(file).toContain('targetHost = "192.0.2.7";');
    expect(file).toMatch(/tags = \[\n\s+"web"\n\s+"eu"\n\s+\];/);
  });

  it("gen user skips what flags already answered and asks the rest", async () => {
    const dir = repo();
    const { code, output } = await drive(dir, ["user", "zoe", "--email", "zoe@example.com"], [
      ["Hosts to add the user to", ENTER], // the only host is picked already
      ["Full name", 'Zoë "Z" ${x}' + ENTER],
      ["Home pattern", DOWN + ENTER], // from the default (shared) to reuse
      ["Standalone config to reuse", ENTER],
      ["Login shell", DOWN + ENTER], // zsh
      ["standalone homeConfiguration", "y" + ENTER],
      ["Administrator", ENTER], // yes
      ["SSH public keys", ENTER], // none
      [/Write 5 files\? \(Y\/n\)/, "y" + ENTER],
    ]);
    expect(output).not.toContain("? Username");
    expect(output).not.toContain("? Email");
    expect(code).toBe(0);
    const tree = readTree(dir);
    expect(tree["nix/zoe/home.nix"]).toContain('name = "Zoë \\"Z\\" \\${x}";');
    expect(tree["flake.nix"]).toContain('"zoe@example" = mkHome');
    expect(tree["hosts/example/configuration.nix"]).toContain("shell = pkgs.zsh;");
    const account = tree["hosts/example/configuration.nix"]!.split("users.users.zoe = {")[1]!.split("\n  };")[0];
    expect(account).toMatch(/extraGroups = \[\s*"wheel"\s*"networkmanager"\s*\];/);
  });
});

describe.concurrent("a Mac, interactively", () => {
  it("is a choice of system, asks nix-darwin's state version, and offers its users zsh first", async () => {
    const dir = repo();
    const host = await drive(dir, ["host", "mac1"], [
      ["System", DOWN + DOWN + ENTER], // aarch64-darwin
      ["nix-darwin state version (an integer, 7 for a new Mac)", ENTER],
      ["Users to add now", ENTER],
      [/Write 3 files\? \(Y\/n\)/, ENTER],
    ]);
    expect(host.output).toContain("aarch64-darwin  (a Mac with Apple silicon (nix-darwin))");
    expect(host.code).toBe(0);
    expect(readTree(dir)["flake.nix"]).toMatch(/darwinConfigurations = \{\n\s*mac1 = mkDarwin \{\n\s*hostName = "mac1";\n\s*system = "aarch64-darwin";/);
    expect(readTree(dir)["hosts/mac1/configuration.nix"]).toContain("system.stateVersion = 7;");

    const user = await drive(dir, ["user", "bob", "--host", "mac1", "--email", "", "--pattern", "shared"], [
      ["Full name", ENTER],
      ["Login shell", ENTER], // the first choice
      ["standalone homeConfiguration", ENTER],
      ["Administrator", ENTER],
      ["SSH public keys", ENTER],
      [/Write 3 files\? \(Y\/n\)/, ENTER],
    ]);
    expect(user.output).toMatch(/Login shell[^\n]*\n\s*❯ zsh\s*\n\s*bash\s*\n\s*fish/);
    expect(user.code).toBe(0);
    const tree = readTree(dir);
    expect(tree["hosts/mac1/configuration.nix"]).toContain('home = "/Users/bob";');
    expect(tree["hosts/mac1/home/bob.nix"]).toContain("programs.zsh.enable = true;");
  });
});

describe.concurrent("each answer is checked at its own prompt", () => {
  it("a user already on every host is refused at the username, and a missing reuse config at its own question, without --from advice", async () => {
    const dir = repo();
    const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG8FCVWgrARbGQsaJRCuTy93fs9H54H5XMFm1JEasoc/ dan@laptop";
    const { code, output } = await drive(dir, ["user"], [
      ["Username", "alice" + ENTER],
      ["alice is already a user on example: pick another username.", BACKSPACE.repeat(5) + "dan" + ENTER],
      ["Hosts to add the user to", ENTER],
      ["Full name", ENTER],
      ["Email", ENTER],
      ["Home pattern", DOWN + ENTER], // from the default (shared) to reuse
      ["Standalone config to reuse", "nix/dan/work.nix" + ENTER],
      [/does not exist: create it first, or\s+accept the default\s+nix\/dan\/home\.nix/, BACKSPACE.repeat(16) + ENTER],
      ["Login shell", ENTER],
      ["standalone homeConfiguration", ENTER],
      ["Administrator", "n" + ENTER],
      ["SSH public keys", "not a key" + ENTER],
      ['"not a key" is not an SSH', CLEAR_LINE + key + ENTER],
      [/Write \d+ files\? \(Y\/n\)/, ENTER],
    ]);
    expect(output).not.toContain("drop --from");
    expect(code).toBe(0);
    const config = readTree(dir)["hosts/example/configuration.nix"]!;
    expect(config).toContain('extraGroups = [ "networkmanager" ];');
    expect(config).toContain(`"${key}"`);
    expect(output).toContain("Log in as dan on example over SSH with the key given");
  });

  it("with no host at all, gen user says to add one before asking anything", async () => {
    const dir = repo(Object.fromEntries(Object.entries(starterFiles()).filter(([p]) => !p.startsWith("hosts/"))));
    const { code, output } = await drive(dir, ["user"], []);
    expect(code).toBe(1);
    expect(output).toMatch(/^error: There are no hosts yet \(no hosts\/<name>\/configuration\.nix\): add one first with pnpm gen host <name>\.\r?\n$/m);
    expect(output).not.toContain("?");
  });

  it("a host folder without configuration.nix is refused at the host name", async () => {
    const dir = repo({ ...starterFiles(), "hosts/notes/README.md": "notes\n" });
    const { code, output } = await drive(dir, ["host", "--system", "x86_64-linux", "--state-version", "24.11", "--user", "lee", "--yes"], [
      ["Host name", "notes" + ENTER],
      ["holds no configuration.nix", BACKSPACE.repeat(5) + "old" + ENTER],
    ]);
    expect(code).toBe(0);
    expect(output).not.toContain("Write ");
    expect(readTree(dir)["hosts/old/home/lee.nix"]).toContain('home.stateVersion = "26.05";');
  });
});

describe.concurrent("the write is confirmed", () => {
  it("answering n writes nothing", async () => {
    const dir = repo();
    const before = readTree(dir);
    const { code, output } = await drive(dir, ["host", "web1", "--system", "x86_64-linux", "--state-version", "26.05"], [
      ["Users to add now", ENTER],
      [/Write 4 files\? \(Y\/n\)/, "n" + ENTER],
    ]);
    expect(output).toContain("Nothing written.");
    expect(code).toBe(0);
    expect(readTree(dir)).toEqual(before);
  });

});

describe.concurrent("gen remove in a terminal", () => {
  async function withRm1(): Promise<string> {
    const dir = repo();
    expect((await runMain(["host", "rm1", "--user", "ru1"], dir)).code).toBe(0);
    return dir;
  }

  it("lists what will go and asks; Enter (no) keeps everything", async () => {
    const dir = await withRm1();
    const before = readTree(dir);
    const { code, output } = await drive(dir, ["remove", "host", "rm1"], [[/Remove them \(4 files deleted and 1 edited\)\? \(y\/N\)/, ENTER]]);
    expect(output).toContain("Remove host rm1:\n  DELETE hosts/rm1/configuration.nix\n  DELETE hosts/rm1/hardware-configuration.nix\n  DELETE hosts/rm1/home/ru1.nix\n  UPDATE flake.nix");
    expect(output).toContain("Nothing removed.");
    expect(code).toBe(0);
    expect(readTree(dir)).toEqual(before);
  });

  it("y removes, and the tree is the starter again", async () => {
    const dir = await withRm1();
    const { code, output } = await drive(dir, ["remove", "host", "rm1"], [[/\(y\/N\)/, "y" + ENTER]]);
    expect(output).toContain("✔ Remove host rm1");
    expect(code).toBe(0);
    expect(readTree(dir)).toEqual(starterFiles());
  });

});

describe.concurrent("gen secret in a terminal", () => {
  /** The starter with web1, whose host key and an admin's are made here (outside the repository). */
  async function web1WithKeys(): Promise<{ dir: string; keys: string }> {
    const dir = repo();
    const keys = repo({});
    for (const n of ["web1", "admin"]) spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(keys, n)]);
    expect((await runMain(["host", "web1", "--host-key-file", join(keys, "web1.pub")], dir)).code).toBe(0);
    return { dir, keys };
  }

  it("Ctrl-C while the value is typed ends as 130 with nothing written", async () => {
    const { dir, keys } = await web1WithKeys();
    const before = readTree(dir);
    const { code, output } = await drive(dir, ["secret", "wifi", "--host", "web1", "--admin-key-file", join(keys, "admin.pub")], [["(not shown)", "half-typed" + CTRL_C]]);
    expect(output).toMatch(/\nCancelled: nothing was written\.\n$/);
    expect(output).not.toContain("half-typed");
    expect(code).toBe(130);
    expect(readTree(dir)).toEqual(before);
  });

  it("asks for the value twice without echoing it, then writes a file only the host's and admin's keys open", async () => {
    const { dir, keys } = await web1WithKeys();
    const typed = "typed-" + Math.random().toString(36).slice(2);
    const { code, output } = await drive(dir, ["secret", "wifi", "--host", "web1", "--admin-key-file", join(keys, "admin.pub")], [
      ["(not shown)", typed + ENTER],
      ["Again", typed + ENTER],
      [/Write 4 files\? \(Y\/n\)/, ENTER],
    ]);
    expect(code).toBe(0);
    expect(output).toContain("✔ Add secret wifi for web1");
    expect(output).not.toContain(typed);
    const opened = spawnSync("age", ["-d", "-i", join(keys, "web1"), join(dir, "secrets/wifi.age")], { encoding: "utf8" });
    expect(opened.stdout).toBe(typed);
    expect(Object.values(readTree(dir)).some((t) => t.includes(typed))).toBe(false);
    expect(readFileSync(join(dir, "secrets/secrets.nix"), "utf8")).toContain('"wifi.age"');
  });
});

// Not concurrent: the stand-in nixos-anywhere is found through process.env's PATH.
describe("gen install in a terminal", () => {
  const INSTALL = ["install", "web5", "--target", "root@203.0.113.5"];
  const CONFIRM = "Type the host's name (web5)";
  async function web5(): Promise<{ dir: string; s: ReturnType<typeof standIn> }> {
    const dir = repo();
    expect((await runMain(["host", "web5", "--disk", "luks-ext4", "--disk-device", "/dev/nvme0n1"], dir)).code).toBe(0);
    // The stand-in's folders, outside the repository, go with the temp repos.
    const scratch = repo({});
    const folder = (prefix: string) => {
      const d = join(scratch, prefix + Math.random().toString(36).slice(2));
      mkdirSync(d);
      return d;
    };
    return { dir, s: standIn("ok", folder) };
  }

  it("asks for the host's name before erasing anything: another name runs nothing and writes nothing", async () => {
    const { dir, s } = await web5();
    const before = readTree(dir);
    const { code, output } = await withEnv(s.env as Record<string, string>, () => drive(dir, INSTALL, [[CONFIRM, "web6" + ENTER]]));
    expect(output).toContain("This erases the disks in web5's disk-config.nix on root@203.0.113.5");
    expect(output).toContain("Nothing done: the name typed was not the host's.");
    expect(code).toBe(0);
    expect(existsSync(join(s.record, "args"))).toBe(false);
    expect(readTree(dir)).toEqual(before);
  });

  // Ctrl-C at a command's own question is a key to readline, not a signal: testable here.
  it.each([
    ["the host's name", [[CONFIRM, "web" + CTRL_C]]],
    ["the passphrase", [[CONFIRM, "web5" + ENTER], ["Passphrase for web5's encrypted disk", "half" + CTRL_C]]],
  ] as Array<[string, Array<[string, string]>]>)("Ctrl-C at %s says so on a line of its own, ends as 130, runs and writes nothing", async (_at, steps) => {
    const { dir, s } = await web5();
    const before = readTree(dir);
    const { code, output } = await withEnv(s.env as Record<string, string>, () => drive(dir, INSTALL, steps));
    expect(output).toMatch(/\nCancelled: nothing was done\.\n$/);
    expect(code).toBe(130);
    expect(existsSync(join(s.record, "args"))).toBe(false);
    expect(readTree(dir)).toEqual(before);
  });

  it("asks the passphrase twice without echo, again when the two differ, and hands nixos-anywhere exactly it", async () => {
    const { dir, s } = await web5();
    const { code, output } = await withEnv(s.env as Record<string, string>, () =>
      drive(dir, INSTALL, [
        [CONFIRM, "web5" + ENTER],
        ["Passphrase for web5's encrypted disk", "first-try" + ENTER],
        ["The same passphrase again", "second-try" + ENTER],
        ["The two do not match; try again.", ""],
        ["Passphrase for web5's encrypted disk", PASSPHRASE + ENTER],
        ["The same passphrase again", PASSPHRASE + ENTER],
      ]),
    );
    expect(code).toBe(0);
    expect(s.read("pass-sha").trim()).toBe(createHash("sha256").update(PASSPHRASE).digest("hex"));
    for (const typed of [PASSPHRASE, "first-try", "second-try"]) expect(output).not.toContain(typed);
    expect(Object.values(readTree(dir)).some((t) => t.includes(PASSPHRASE))).toBe(false);
  });
});
