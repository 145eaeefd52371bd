// gen secret end to end through the real CLI (main(argv, io), a Readable as
// standard input), with keys ssh-keygen makes now and the real age: the
// issue's "Must show" list, one step after another on one fleet.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { checkFork, copyFlakeTree, evalWithStubs } from "@starter/nix-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { makeRepo, readTree, removeRepo, starterFiles } from "./helpers.js";

// Each secret with its file as the path the host reads (not copied to the store).
const SECRETS = "c: builtins.mapAttrs (n: s: s // { file = toString s.file; }) c.config.age.secrets";
const VALUE = `hunter2-${randomUUID()}`; // unique: a grep finds only this run's leaks
const started = Date.now();
let keys: string;
let root: string;
const key = (name: string) => join(keys, name);

async function gen(args: string[], stdin = ""): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { out: (t) => (out += t + "\n"), err: (t) => (err += t + "\n"), interactive: false, cwd: keys, stdin: Readable.from([Buffer.from(stdin)]) });
  return { code, out, err };
}

function decrypts(identity: string, file = "secrets/wifi.age"): string | undefined {
  const run = spawnSync("age", ["-d", "-i", key(identity), join(root, file)], { encoding: "utf8" });
  return run.status === 0 ? run.stdout : undefined;
}

/** Files below `dir` (in tmpdir: changed since this file started) whose bytes hold the value. */
function holders(dir: string, since = 0): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const abs = join(d, e.name);
      if (e.isDirectory() && e.name !== "node_modules") walk(abs);
      else if (e.isFile()) {
        try {
          if (statSync(abs).mtimeMs >= since && readFileSync(abs).includes(VALUE)) found.push(abs);
        } catch {
          // gone meanwhile, or unreadable: not ours
        }
      }
    }
  };
  walk(dir);
  return found;
}

/** One `error:` line, exit 1, the tree as it was. */
async function refused(args: string[], pattern: RegExp, stdin = VALUE): Promise<void> {
  const before = readTree(root);
  const run = await gen(args, stdin);
  expect(run.code).toBe(1);
  expect(run.err.trim().split("\n")).toHaveLength(1);
  expect(run.err).toMatch(/^error: /);
  expect(run.err).toMatch(pattern);
  expect(run.err + run.out).not.toContain(VALUE);
  expect(readTree(root)).toEqual(before);
}

beforeAll(() => {
  keys = mkdtempSync(join(tmpdir(), "gen-secret-cli-"));
  for (const [n, type] of [["web1", "ed25519"], ["web2", "ed25519"], ["mac1", "ed25519"], ["admin", "ed25519"], ["rsa", "rsa"]]) {
    // RSA at 2048 bits, the least age takes (ssh-keygen's 3072 costs half a CPU-second).
    const run = spawnSync("ssh-keygen", ["-q", "-t", type!, ...(type === "rsa" ? ["-b", "2048"] : []), "-N", "", "-C", `${n}@test`, "-f", key(n!)]);
    if (run.status !== 0) throw new Error(String(run.stderr));
  }
  mkdirSync(join(keys, "home"));
  root = makeRepo(starterFiles());
});
afterAll(() => {
  removeRepo(root);
  rmSync(keys, { recursive: true, force: true });
});

describe("gen secret through the CLI", () => {
  it("adds hosts with their keys (--host-key-file on gen host and gen deploy); an RSA key is refused", async () => {
    expect((await gen(["host", "web1", "--host-key-file", "web1.pub", "--root", root])).code).toBe(0);
    expect((await gen(["host", "web2", "--root", root])).code).toBe(0);
    expect((await gen(["host", "mac1", "--system", "aarch64-darwin", "--host-key-file", "mac1.pub", "--root", root])).code).toBe(0);
    expect(readFileSync(join(root, "hosts/web1/ssh_host_ed25519_key.pub"), "utf8")).toBe(readFileSync(key("web1.pub"), "utf8").split(" ").slice(0, 2).join(" ") + "\n");
    await refused(["deploy", "web2", "--host-key-file", "rsa.pub", "--root", root], /ssh-rsa.*ssh-keyscan -t ed25519 web2/);
    // ssh-keyscan's form: "<host> ssh-ed25519 <base64>".
    writeFileSync(key("web2.scan"), `web2 ${readFileSync(key("web2.pub"), "utf8")}`);
    expect((await gen(["deploy", "web2", "--host-key-file", "web2.scan", "--root", root])).code).toBe(0);
  });

  let pristine: Record<string, string>;
  it("refuses a host without a key, a bad name, a value file inside the repo", async () => {
    pristine = readTree(root);
    rmSync(join(root, "hosts/web2/ssh_host_ed25519_key.pub"));
    await refused(["secret", "wifi", "--host", "web2", "--admin-key-file", "admin.pub", "--root", root], /web2 has no host key.*--host-key-file/);
    writeFileSync(join(root, "hosts/web2/ssh_host_ed25519_key.pub"), pristine["hosts/web2/ssh_host_ed25519_key.pub"]!);
    await refused(["secret", "../wifi", "--host", "web1", "--admin-key-file", "admin.pub", "--root", root], /name/);
    writeFileSync(join(root, "value.txt"), "x");
    await refused(["secret", "wifi", "--host", "web1", "--admin-key-file", "admin.pub", "--value-file", join(root, "value.txt"), "--root", root], /inside the repository/);
    rmSync(join(root, "value.txt"));
    expect(readTree(root)).toEqual(pristine);
  });

  it("--help and --dry-run never show the value", async () => {
    const help = await gen(["secret", "--help"]);
    expect(help.out).toContain("--admin-key-file");
    const dry = await gen(["secret", "wifi", "--host", "web1", "--admin-key-file", "admin.pub", "--dry-run", "--root", root], VALUE);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain("secrets/wifi.age");
    expect(dry.out + dry.err).not.toContain(VALUE);
    expect(readTree(root)).toEqual(pristine);
  });

  it("printf 'hunter2' | gen secret wifi --host web1 --admin-key-file admin.pub: web1 and the admin decrypt it, nothing holds it", async () => {
    const run = await gen(["secret", "wifi", "--host", "web1", "--owner", "root", "--mode", "0440", "--admin-key-file", "admin.pub", "--root", root], VALUE);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).not.toContain(VALUE);
    expect(decrypts("web1")).toBe(VALUE);
    expect(decrypts("admin")).toBe(VALUE);
    expect(decrypts("web2")).toBeUndefined();
    expect(holders(root)).toEqual([]);
    expect(holders(tmpdir(), started)).toEqual([]);
  });

  it("hosts evaluate with age.secrets.wifi pointing at the file, owner and mode given; the fork check is green", () => {
    const dir = copyFlakeTree(root);
    try {
      const secrets = evalWithStubs<Record<string, { file: string; owner: string; mode: string }>>(dir, "nixosConfigurations.web1", { apply: SECRETS });
      expect(secrets.wifi!.file).toMatch(/\/secrets\/wifi\.age$/);
      expect(secrets.wifi).toMatchObject({ owner: "root", mode: "0440" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(checkFork(root).problems).toEqual([]);
  });

  it("a Mac takes the same secret through the darwin module", async () => {
    const run = await gen(["secret", "wifi", "--host", "web1", "--host", "mac1", "--owner", "root", "--mode", "0440", "--identity", "admin", "--root", root]);
    expect(run.code, run.err).toBe(0);
    expect(decrypts("mac1")).toBe(VALUE);
    const dir = copyFlakeTree(root);
    try {
      const secrets = evalWithStubs<Record<string, { file: string; owner: string }>>(dir, "darwinConfigurations.mac1", { apply: SECRETS });
      expect(secrets.wifi!.file).toMatch(/\/secrets\/wifi\.age$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("re-keys to web2 with --identity admin without asking; refuses an identity that does not decrypt", async () => {
    await refused(["secret", "wifi", "--host", "web1", "--host", "web2", "--identity", "rsa", "--root", root], /does not decrypt.*--identity/);
    const run = await gen(["secret", "wifi", "--host", "web1", "--host", "web2", "--owner", "root", "--mode", "0440", "--identity", "admin", "--root", root], "not read");
    expect(run.code, run.err).toBe(0);
    expect(decrypts("web2")).toBe(VALUE);
    expect(decrypts("web1")).toBe(VALUE);
    expect(decrypts("mac1")).toBeUndefined();
  });

  it("gen remove host web2 --yes --identity admin: web2 no longer decrypts, web1 does; without a working identity it refuses", async () => {
    await refused(["remove", "host", "web2", "--yes", "--identity", "rsa", "--root", root], /--identity/);
    const run = await gen(["remove", "host", "web2", "--yes", "--identity", "admin", "--root", root]);
    expect(run.code, run.err).toBe(0);
    expect(decrypts("web2")).toBeUndefined();
    expect(decrypts("web1")).toBe(VALUE);
    expect(readFileSync(join(root, "secrets/secrets.nix"), "utf8")).not.toContain("web2");
    expect(holders(root)).toEqual([]);
    expect(holders(tmpdir(), started)).toEqual([]);
  });

  it("gen remove secret, after adding one, gives the tree back byte for byte", async () => {
    const before = readTree(root);
    expect((await gen(["secret", "token", "--host", "web1", "--root", root], "t0ken")).code).toBe(0);
    expect(existsSync(join(root, "secrets/token.age"))).toBe(true);
    const run = await gen(["remove", "secret", "token", "--yes", "--root", root]);
    expect(run.code, run.err).toBe(0);
    expect(readTree(root)).toEqual(before);
    // The last secret too: the tree is the one before any secret.
    expect((await gen(["remove", "secret", "wifi", "--yes", "--root", root])).code).toBe(0);
    const { "hosts/web2/ssh_host_ed25519_key.pub": _gone, ...rest } = pristine;
    const now = readTree(root);
    for (const path of Object.keys(now).filter((p) => p.startsWith("hosts/web2") || p === "flake.nix" || p === "gen-record.json")) delete now[path];
    for (const path of Object.keys(rest).filter((p) => p.startsWith("hosts/web2") || p === "flake.nix" || p === "gen-record.json")) delete rest[path];
    expect(now).toEqual(rest);
  });
});
