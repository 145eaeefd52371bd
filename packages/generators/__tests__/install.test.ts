// gen install's runner (runInstall), against the stand-in nixos-anywhere of
// nixos-anywhere-stand-in.ts first on PATH.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { addDiskToTree } from "../src/generators/host/disk.js";
import { runInstall } from "../src/generators/install/run.js";
import type { InstallAnswers } from "../src/generators/install/resolve.js";
import { addHostToTree } from "../src/generators/host/plan.js";
import { applyPlan } from "../src/write/apply.js";
import { Tree, fsRepo } from "../src/repo/tree.js";
import { readTree, starterRepos } from "./helpers.js";
import { PASSPHRASE, standIn as makeStandIn } from "./nixos-anywhere-stand-in.js";

const repos = starterRepos();
const standIn = (mode: "ok" | "fail" | "kill" | "wait") => makeStandIn(mode, tempDir);
const scratch: string[] = [];
afterEach(() => scratch.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(d);
  return d;
};


/** A starter with web5 (luks-ext4 on /dev/nvme0n1), a Mac and a host on the placeholder disk. */
function fork(): string {
  const dir = repos();
  const tree = new Tree(fsRepo(dir));
  addHostToTree(tree, { name: "web5", system: "x86_64-linux" });
  addDiskToTree(tree, { name: "web5", system: "x86_64-linux", layout: "luks-ext4", devices: ["/dev/nvme0n1"] });
  addHostToTree(tree, { name: "plain1", system: "x86_64-linux" });
  addDiskToTree(tree, { name: "plain1", system: "x86_64-linux", layout: "ext4" });
  addHostToTree(tree, { name: "mac1", system: "aarch64-darwin" });
  applyPlan({ title: "fixture", changes: tree.changes(), nextSteps: [] }, dir);
  return dir;
}

const web5 = (passFile: string, extra: Partial<InstallAnswers> = {}): InstallAnswers => ({
  name: "web5",
  target: "root@203.0.113.5",
  diskPassphraseFile: passFile,
  yes: true,
  ...extra,
});

describe("gen install", () => {
  it("runs nixos-anywhere with exactly the arguments, a 0600 host key and the passphrase file, then cleans up", async () => {
    const dir = fork();
    const s = standIn("ok");
    const report = await runInstall(web5(s.passFile), { root: dir, env: s.env, childStdio: "ignore", note: () => {} });

    const extra = s.read("extra-dir").trim();
    const pass = s.read("pass-file").trim();
    expect(s.read("args").trimEnd().split("\n")).toEqual([
      "--flake", ".#web5",
      "--target-host", "root@203.0.113.5",
      "--generate-hardware-config", "nixos-facter", "hosts/web5/facter.json",
      "--extra-files", extra,
      "--disk-encryption-keys", "/tmp/disk.key", pass,
    ]);
    expect(s.read("modes").trim().split("\n").map((l) => l.split(" ")[0])).toEqual(["700", "755", "755", "600"]);
    expect(s.read("extra-list").trim().split("\n")).toEqual([".", "./etc", "./etc/ssh", "./etc/ssh/ssh_host_ed25519_key", "./etc/ssh/ssh_host_ed25519_key.pub"]);
    const pub = readFileSync(join(dir, "hosts/web5/ssh_host_ed25519_key.pub"), "utf8");
    expect(pub).toMatch(/^ssh-ed25519 [A-Za-z0-9+/]+=* root@web5\n$/);
    expect(s.read("derived.pub").split(" ").slice(0, 2)).toEqual(pub.split(" ").slice(0, 2));
    expect(s.read("pass-mode").trim()).toBe("600");
    expect(s.read("pass-sha").trim()).toBe(createHash("sha256").update(PASSPHRASE).digest("hex"));
    // Both private folders are gone; nothing private is in the repository.
    expect(existsSync(extra)).toBe(false);
    expect(existsSync(pass)).toBe(false);
    const tree = readTree(dir);
    expect(Object.keys(tree).filter((p) => /ssh_host_ed25519_key$|disk\.key/.test(p))).toEqual([]);
    expect(Object.values(tree).some((t) => t.includes(PASSPHRASE) || t.includes("PRIVATE KEY"))).toBe(false);
    expect(tree["hosts/web5/deployment.nix"]).toContain('targetHost = "203.0.113.5";');
    expect(tree["hosts/web5/deployment.nix"]).toContain('targetUser = "root";');
    expect(tree["hosts/web5/facter.json"]).toBe('{"version":1}\n');
    expect(report).toContain("git add hosts/web5/facter.json hosts/web5/ssh_host_ed25519_key.pub hosts/web5/deployment.nix");
    expect(report).toContain("nixos-rebuild switch --flake .#web5 --target-host root@203.0.113.5");
    expect(report).toContain("nix run --inputs-from . colmena -- apply --on web5");
  });

  it("passes -p and -i, and a layout without LUKS gets no passphrase", async () => {
    const dir = fork();
    writeFileSync(join(dir, "hosts/plain1/disk-config.nix"), readFileSync(join(dir, "hosts/plain1/disk-config.nix"), "utf8").replace(/\/dev\/disk\/by-id\/REPLACE-WITH-YOUR-DISK/, "/dev/vda"));
    const s = standIn("ok");
    const key = join(tempDir("sshkey-"), "id_ed25519");
    writeFileSync(key, "not read\n");
    await runInstall({ name: "plain1", target: "root@203.0.113.6", port: "2222", sshKey: key, yes: true }, { root: dir, env: s.env, childStdio: "ignore", note: () => {} });
    const args = s.read("args").trimEnd().split("\n");
    expect(args.slice(0, 8)).toEqual(["--flake", ".#plain1", "--target-host", "root@203.0.113.6", "-p", "2222", "-i", key]);
    expect(args).not.toContain("--disk-encryption-keys");
    expect(readFileSync(join(dir, "hosts/plain1/deployment.nix"), "utf8")).toContain("targetPort = 2222;");
  });

  for (const mode of ["fail", "kill"] as const) {
    it(`leaves the tree as it was and the temp folders gone when nixos-anywhere ${mode === "fail" ? "exits 1" : "is killed"}`, async () => {
      const dir = fork();
      // A git checkout: the facter.json nixos-anywhere adds to the index goes too.
      const git = (...args: string[]) => spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.org", ...args], { cwd: dir, encoding: "utf8" });
      git("init", "-q");
      git("add", "-A");
      git("commit", "-qm", "fork");
      // The work tree, byte for byte (git's index caches differ, what it tracks is checked below).
      const files = () => Object.fromEntries(Object.entries(readTree(dir)).filter(([p]) => !p.startsWith(".git/")));
      const before = files();
      const s = standIn(mode);
      await expect(runInstall(web5(s.passFile), { root: dir, env: s.env, childStdio: "ignore", note: () => {} })).rejects.toThrow(
        mode === "fail" ? /^nixos-anywhere failed \(exit 1\), so the repository is as it was/ : /^nixos-anywhere was killed \(SIGKILL\)/,
      );
      expect(files()).toEqual(before);
      expect(git("status", "--porcelain").stdout).toBe("");
      expect(existsSync(s.read("extra-dir").trim())).toBe(false);
      expect(existsSync(s.read("pass-file").trim())).toBe(false);
    });
  }

  it("in a terminal, asks for the host's name and the passphrase twice; a wrong name does nothing", async () => {
    const dir = fork();
    const before = readTree(dir);
    const s = standIn("ok");
    const term = (typed: string) => {
      const input = new PassThrough();
      const output = new PassThrough();
      let shown = "";
      output.on("data", (c: Buffer) => (shown += c.toString()));
      // Each answer once the question before it is up.
      const lines = typed.split("\n");
      const feed = () => setTimeout(() => lines.length && input.write(lines.shift() + "\n"), 20);
      output.on("data", feed);
      return { terminal: { input, output }, shown: () => shown };
    };
    const no = term("web4");
    expect(await runInstall(web5("", { diskPassphraseFile: undefined, yes: false }), { root: dir, env: s.env, childStdio: "ignore", note: () => {}, terminal: no.terminal })).toMatch(/^Nothing done/);
    expect(readTree(dir)).toEqual(before);
    const yes = term(`web5\n${PASSPHRASE}\n${PASSPHRASE}`);
    await runInstall(web5("", { diskPassphraseFile: undefined, yes: false }), { root: dir, env: s.env, childStdio: "ignore", note: () => {}, terminal: yes.terminal });
    expect(s.read("pass-sha").trim()).toBe(createHash("sha256").update(PASSPHRASE).digest("hex"));
    // Never echoed.
    expect(yes.shown()).not.toContain(PASSPHRASE);
    expect(yes.shown()).toContain("Type the host's name (web5)");
  });

  it("Ctrl-C stops nixos-anywhere, and the tree and temp folders are as before", async () => {
    const dir = fork();
    const before = readTree(dir);
    const s = standIn("wait");
    const others = process.listeners("SIGINT");
    const run = runInstall(web5(s.passFile), { root: dir, env: s.env, childStdio: "ignore", note: () => {} });
    const outcome = run.then(() => "done", (e: Error) => e.message);
    while (!existsSync(join(s.record, "waiting"))) await new Promise((r) => setTimeout(r, 50));
    // The handlers gen install added (vitest's own are left alone).
    for (const l of process.listeners("SIGINT").filter((l) => !others.includes(l))) (l as (s: string) => void)("SIGINT");
    expect(await outcome).toMatch(/^nixos-anywhere was stopped \(SIGINT\)/);
    expect(readTree(dir)).toEqual(before);
    expect(existsSync(s.read("extra-dir").trim())).toBe(false);
    expect(process.listeners("SIGINT")).toEqual(others);
  });

  it("--dry-run prints the command and writes nothing", async () => {
    const dir = fork();
    const before = readTree(dir);
    const s = standIn("ok");
    const report = await runInstall(web5(s.passFile, { dryRun: true, yes: false }), { root: dir, env: s.env, childStdio: "ignore", note: () => {} });
    expect(report).toContain(
      "Would run: nixos-anywhere --flake .#web5 --target-host root@203.0.113.5 --generate-hardware-config nixos-facter hosts/web5/facter.json --extra-files '<private temp folder>' --disk-encryption-keys /tmp/disk.key '<private passphrase file>'",
    );
    expect(report).toContain("CREATE hosts/web5/ssh_host_ed25519_key.pub");
    expect(report).toContain("CREATE hosts/web5/deployment.nix");
    expect(existsSync(join(s.record, "args"))).toBe(false);
    expect(readTree(dir)).toEqual(before);
  });

  it("without nixos-anywhere on PATH, runs it through nix run", async () => {
    const dir = fork();
    const report = await runInstall(web5("/nonexistent", { diskPassphraseFile: undefined, dryRun: true }), { root: dir, env: { PATH: "/nonexistent" }, note: () => {} });
    expect(report).toContain("Would run: nix run github:nix-community/nixos-anywhere -- --flake .#web5");
  });

  const refusals: [string, (pass: string, dir: string) => InstallAnswers, RegExp][] = [
    ["a host that does not exist", (p) => web5(p, { name: "web9" }), /^There is no host web9/],
    ["a Mac", (p) => web5(p, { name: "mac1" }), /^mac1 is a Mac: macOS is not installed this way/],
    ["a target without a user", (p) => web5(p, { target: "203.0.113.5" }), /has no user/],
    ["a target ssh would read as an option", (p) => web5(p, { target: "-oProxyCommand=x" }), /starts with "-"/],
    ["a bad port", (p) => web5(p, { port: "99999" }), /^The port "99999" is not a number/],
    ["a placeholder disk", (p) => web5(p, { name: "plain1", diskPassphraseFile: undefined }), /still names the placeholder disk/],
    ["a host without a disk layout", (p) => web5(p, { name: "example", diskPassphraseFile: undefined }), /has no hosts\/example\/disk-config\.nix/],
    ["a LUKS host with no passphrase and no terminal", (p) => web5(p, { diskPassphraseFile: undefined }), /no terminal to ask its passphrase in: give it with --disk-passphrase-file/],
    ["no terminal and no --yes", (p) => web5(p, { yes: false }), /run it in a terminal to confirm .* or add --yes/],
    ["a passphrase file inside the repository", (_p, dir) => {
      writeFileSync(join(dir, "pass.txt"), "x");
      return web5("pass.txt");
    }, /is inside the repository/],
  ];
  for (const [what, answers, message] of refusals) {
    it(`refuses ${what} in one line, tree byte-identical`, async () => {
      const dir = fork();
      const s = standIn("ok");
      const a = answers(s.passFile, dir);
      const before = readTree(dir);
      const error = await runInstall(a, { root: dir, cwd: dir, env: s.env, childStdio: "ignore", note: () => {} }).then(() => undefined, (e: Error) => e);
      expect(error?.constructor.name).toBe("GenError");
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain("\n");
      expect(readTree(dir)).toEqual(before);
      expect(existsSync(join(s.record, "args"))).toBe(false);
    });
  }
});
