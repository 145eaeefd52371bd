// The install story through the real CLI (main in this process; a spawned
// gen where a signal is the point), with the stand-in nixos-anywhere first
// on PATH: gen host --disk, then gen install, its dry run and its refusals.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { Readable } from "node:stream";
import { main } from "../src/cli/main.js";
import { join } from "node:path";
import { evalWithStubs, nixAvailable } from "@starter/nix-check";
import { afterEach, describe, expect, it } from "vitest";
import { GEN_BIN, readTree, runMain, starterRepos, withEnv } from "./helpers.js";
import { PASSPHRASE, standIn as makeStandIn } from "./nixos-anywhere-stand-in.js";

const repos = starterRepos();
const scratch: string[] = [];
afterEach(() => scratch.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(d);
  return d;
};
const standIn = (mode: "ok" | "fail" | "kill" | "wait") => makeStandIn(mode, tempDir);
const nixIt = nixAvailable() ? it : it.skip;

/** A starter with web5 added the way the issue says: gen host web5 --disk luks-ext4 --disk-device /dev/nvme0n1. */
async function forkWithWeb5(): Promise<string> {
  const dir = repos();
  const host = await runMain(["host", "web5", "--disk", "luks-ext4", "--disk-device", "/dev/nvme0n1"], dir);
  expect(host.stderr).toBe("");
  expect(host.code).toBe(0);
  return dir;
}

/** gen in this process with `env` over process.env (the stand-in's PATH and mode). */
const gen = (args: string[], dir: string, env: Record<string, string>) => withEnv(env, () => runMain(args, dir));

const INSTALL = (pass: string) => ["install", "web5", "--target", "root@203.0.113.5", "--disk-passphrase-file", pass, "--yes"];

describe("gen host web5 --disk luks-ext4 --disk-device /dev/nvme0n1", () => {
  nixIt("evaluates with the stub inputs: disko's module is in web5's modules, no fileSystems by hand", async () => {
    const dir = await forkWithWeb5();
    const web5 = evalWithStubs<{ disko: boolean; byHand: string[]; fileSystems: string[] }>(dir, "nixosConfigurations.web5", {
      apply: `c: {
        disko = builtins.any (r: r.value ? _stub.derive) c.records;
        byHand = map (r: toString r.file) (builtins.filter (r: r.value ? fileSystems) c.records);
        fileSystems = builtins.attrNames c.config.fileSystems;
      }`,
    });
    expect(web5.disko).toBe(true);
    expect(web5.byHand.filter((f) => f.includes("-source/hosts/"))).toEqual([]);
    expect(web5.fileSystems.sort()).toEqual(["/", "/boot"]);
    // Colmena's node is built from the same modules.
    const node = evalWithStubs<boolean>(dir, "colmenaHive.nodes.web5", { apply: "c: builtins.any (r: r.value ? _stub.derive) c.records" });
    expect(node).toBe(true);
  });

  it("prints the install as the next step, not nixos-generate-config", async () => {
    const dir = repos();
    const r = await runMain(["host", "web5", "--disk", "ext4"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("CREATE hosts/web5/disk-config.nix");
    expect(r.stdout).toContain("pnpm gen install web5 --target root@<address>");
    expect(r.stdout).not.toContain("nixos-generate-config");
  });
});

describe("gen install web5 --target root@203.0.113.5 --disk-passphrase-file F --yes", () => {
  it("re-encrypts web5's secrets to the new host key first (--identity), so the machine decrypts them on its first boot", async () => {
    const dir = await forkWithWeb5();
    const keys = tempDir("install-keys-");
    for (const k of ["old", "admin"]) execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(keys, k)]);
    expect((await runMain(["deploy", "web5", "--host-key-file", join(keys, "old.pub")], dir)).code).toBe(0);
    let err = "";
    const io = { out: () => {}, err: (t: string) => void (err += t), interactive: false, cwd: dir, stdin: Readable.from([Buffer.from("s3cret\n")]) };
    expect(await main(["secret", "wifi", "--host", "web5", "--admin-key-file", join(keys, "admin.pub"), "--root", dir], io)).toBe(0);
    expect(err).toBe("");
    const s = standIn("ok");
    const env = { PATH: s.env.PATH!, STANDIN_RECORD: s.record, STANDIN_MODE: "ok" };
    // Without an identity that decrypts: refused before nixos-anywhere runs, the tree as it was.
    const before = readTree(dir);
    const refused = await gen([...INSTALL(s.passFile), "--identity", join(keys, "old.pub")], dir, env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: .*--identity/);
    expect(existsSync(join(s.record, "args"))).toBe(false);
    expect(readTree(dir)).toEqual(before);
    const r = await gen([...INSTALL(s.passFile), "--identity", join(keys, "admin")], dir, env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const age = (key: string) => spawnSync("age", ["-d", "-i", key, join(dir, "secrets/wifi.age")], { encoding: "utf8" });
    expect(age(join(s.record, "hostkey")).stdout).toBe("s3cret\n");
    expect(age(join(keys, "admin")).stdout).toBe("s3cret\n");
    expect(age(join(keys, "old")).status).not.toBe(0);
    expect(readFileSync(join(dir, "secrets/secrets.nix"), "utf8")).toContain(readFileSync(join(s.record, "derived.pub"), "utf8").trim().split(" ").slice(0, 2).join(" "));
  });

  it("passes exactly nixos-anywhere's arguments; the extra files hold the 0600 key whose public half is committed; the target is recorded", async () => {
    const dir = await forkWithWeb5();
    const s = standIn("ok");
    const r = await gen(INSTALL(s.passFile), dir, { PATH: s.env.PATH!, STANDIN_RECORD: s.record, STANDIN_MODE: "ok" });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
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
    const pub = readFileSync(join(dir, "hosts/web5/ssh_host_ed25519_key.pub"), "utf8");
    expect(s.read("derived.pub").split(" ").slice(0, 2)).toEqual(pub.split(" ").slice(0, 2));
    expect(s.read("pass-sha").trim()).toBe(createHash("sha256").update(PASSPHRASE).digest("hex"));
    expect(existsSync(extra)).toBe(false);
    expect(existsSync(pass)).toBe(false);
    const deployment = readFileSync(join(dir, "hosts/web5/deployment.nix"), "utf8");
    expect(deployment).toContain('targetHost = "203.0.113.5";');
    expect(deployment).toContain('targetUser = "root";');
    expect(r.stdout).toContain("git add hosts/web5/facter.json hosts/web5/ssh_host_ed25519_key.pub hosts/web5/deployment.nix");
  });

  it("exit 1 of nixos-anywhere: one error line, exit 1, the tree as before and the temp folders gone", async () => {
    const dir = await forkWithWeb5();
    const before = readTree(dir);
    const s = standIn("fail");
    const r = await gen(INSTALL(s.passFile), dir, { PATH: s.env.PATH!, STANDIN_RECORD: s.record, STANDIN_MODE: "fail" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: nixos-anywhere failed \(exit 1\), so the repository is as it was before the run: [^\n]*\n$/);
    expect(readTree(dir)).toEqual(before);
    expect(existsSync(s.read("extra-dir").trim())).toBe(false);
    expect(existsSync(s.read("pass-file").trim())).toBe(false);
  });

  it("a killed nixos-anywhere: exit 1, the tree as before and the temp folders gone", async () => {
    const dir = await forkWithWeb5();
    const before = readTree(dir);
    const s = standIn("kill");
    const r = await gen(INSTALL(s.passFile), dir, { PATH: s.env.PATH!, STANDIN_RECORD: s.record, STANDIN_MODE: "kill" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: nixos-anywhere was killed \(SIGKILL\)/);
    expect(readTree(dir)).toEqual(before);
    expect(existsSync(s.read("extra-dir").trim())).toBe(false);
  });

  it("Ctrl-C to a spawned gen install stops nixos-anywhere; the tree is as before and the temp folders gone", async () => {
    const dir = await forkWithWeb5();
    const before = readTree(dir);
    const s = standIn("wait");
    const child = spawn(process.execPath, [GEN_BIN, ...INSTALL(s.passFile)], {
      cwd: dir,
      env: { ...s.env, INIT_CWD: dir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
    const deadline = Date.now() + 60_000;
    while (!existsSync(join(s.record, "waiting")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGINT");
    expect(await closed).toBe(1);
    expect(stderr).toMatch(/error: nixos-anywhere was stopped \(SIGINT\)/);
    expect(readTree(dir)).toEqual(before);
    expect(existsSync(s.read("extra-dir").trim())).toBe(false);
    expect(existsSync(s.read("pass-file").trim())).toBe(false);
  }, 90_000);

  it("--dry-run prints the command and writes nothing", async () => {
    const dir = await forkWithWeb5();
    const before = readTree(dir);
    const s = standIn("ok");
    const r = await gen(["install", "web5", "--target", "root@203.0.113.5", "--disk-passphrase-file", s.passFile, "--dry-run"], dir, {
      PATH: s.env.PATH!,
      STANDIN_RECORD: s.record,
      STANDIN_MODE: "ok",
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "Would run: nixos-anywhere --flake .#web5 --target-host root@203.0.113.5 --generate-hardware-config nixos-facter hosts/web5/facter.json --extra-files '<private temp folder>' --disk-encryption-keys /tmp/disk.key '<private passphrase file>'",
    );
    expect(existsSync(join(s.record, "args"))).toBe(false);
    expect(readTree(dir)).toEqual(before);
  });
});

describe("refusals: one error line, exit 1, the tree byte-identical", () => {
  const cases: [string, (dir: string, pass: string) => string[], RegExp][] = [
    ["a host that does not exist", (_d, p) => ["install", "web9", "--target", "root@203.0.113.5", "--disk-passphrase-file", p, "--yes"], /^There is no host web9/],
    ["a Mac", (_d, p) => ["install", "mac1", "--target", "root@203.0.113.5", "--disk-passphrase-file", p, "--yes"], /^mac1 is a Mac: macOS is not installed this way/],
    ["a target without a user", (_d, p) => ["install", "web5", "--target", "203.0.113.5", "--disk-passphrase-file", p, "--yes"], /has no user/],
    ["a target gen deploy refuses", (_d, p) => ["install", "web5", "--target=-oProxyCommand=x", "--disk-passphrase-file", p, "--yes"], /starts with "-"/],
    ["a LUKS host with no passphrase and no terminal", () => ["install", "web5", "--target", "root@203.0.113.5", "--yes"], /no terminal to ask its passphrase in/],
    ["a --disk-device that is not an absolute /dev/ path", () => ["host", "web6", "--disk", "ext4", "--disk-device", "nvme0n1"], /^The disk device "nvme0n1" is not an absolute \/dev\/ path/],
    ["an unknown layout", () => ["host", "web6", "--disk", "xfs"], /^The disk layout "xfs" is not one the generator knows/],
    ["--disk on a Mac", () => ["host", "mac2", "--system", "aarch64-darwin", "--disk", "ext4"], /^--disk is for NixOS hosts/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const dir = await forkWithWeb5();
      expect((await runMain(["host", "mac1", "--system", "aarch64-darwin"], dir)).code).toBe(0);
      const s = standIn("ok");
      const before = readTree(dir);
      const r = await gen(args(dir, s.passFile), dir, { PATH: s.env.PATH!, STANDIN_RECORD: s.record, STANDIN_MODE: "ok" });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
      expect(r.stderr.replace(/^error: /, "")).toMatch(message);
      expect(readTree(dir)).toEqual(before);
      expect(existsSync(join(s.record, "args"))).toBe(false);
    });
  }

  it("a passphrase file inside the repository", async () => {
    const dir = await forkWithWeb5();
    writeFileSync(join(dir, "pass.txt"), PASSPHRASE);
    const before = readTree(dir);
    const r = await runMain(INSTALL("pass.txt"), dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: The passphrase file "pass.txt" is inside the repository[^\n]*\n$/);
    expect(readTree(dir)).toEqual(before);
    expect(statSync(join(dir, "pass.txt")).isFile()).toBe(true);
  });
});
