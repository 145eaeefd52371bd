// File-system and Nix-environment failures: one `error:` line that names the
// path and says what to do, exit 1, no stack trace, the tree as it was. Real
// failures where this machine allows them (chattr +i, a 2 MB tmpfs, a
// read-only remount, another user), an injected one where it does not.
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { chmodSync, chownSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, rmdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GEN_BIN, REPO_ROOT, makeRepo, removeRepo, runMain, starterFiles, withEnv, writeFiles } from "./helpers.js";
import { testHooks } from "../src/write/test-hooks.js";
import { snapshot } from "./processes.js";

const dirs: string[] = [];
const undo: Array<() => void> = [];
function repo(): string {
  const dir = makeRepo(starterFiles());
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  undo.splice(0).reverse().forEach((f) => f());
  dirs.splice(0).forEach(removeRepo);
});

const isRoot = process.getuid?.() === 0;

/** Whether `chattr +i` works here (root, and a file system that has the flag). */
const chattrWorks = (() => {
  const dir = mkdtempSync(join(tmpdir(), "chattr-probe-"));
  try {
    writeFileSync(join(dir, "f"), "");
    if (spawnSync("chattr", ["+i", join(dir, "f")]).status !== 0) return false;
    spawnSync("chattr", ["-i", join(dir, "f")]);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

function chattr(flag: "+i" | "-i", path: string): void {
  expect(spawnSync("chattr", [flag, path]).status).toBe(0);
  if (flag === "+i") undo.push(() => void spawnSync("chattr", ["-i", path]));
}

/** A fresh 2 MB tmpfs (root only, where mounting is allowed), or undefined. */
function tmpfs(): string | undefined {
  if (!isRoot) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "gen-tmpfs-"));
  if (spawnSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", dir]).status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  undo.push(() => {
    spawnSync("umount", [dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}
const tmpfsWorks = (() => {
  const dir = tmpfs();
  undo.splice(0).forEach((f) => f());
  return dir !== undefined;
})();
const NO_TMPFS = "needs root allowed to mount a tmpfs (not in this container or as this user)";

/** One error line matching `message`, exit 1, nothing on stdout, the tree (minus `skip`) unchanged. */
async function expectOneLine(dir: string, args: string[], message: RegExp, env: Record<string, string> = {}, skip: string[] = []): Promise<string> {
  const before = snapshot(dir, skip);
  const result = await withEnv(env, () => runMain(args, dir, { hooks: testHooks(env) }));
  expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).toMatch(message);
  expect(result.stdout).toBe("");
  expect(result.code).toBe(1);
  expect(snapshot(dir, skip)).toEqual(before);
  return result.stderr;
}

describe("an immutable hosts/", () => {
  it(`gen host: one line, nothing written (${chattrWorks ? "chattr +i" : "injected EPERM"})`, async () => {
    const dir = repo();
    const env: Record<string, string> = {};
    if (chattrWorks) chattr("+i", join(dir, "hosts"));
    else env.STARTER_GEN_FAIL_AT = "mkdir:EPERM";
    await expectOneLine(
      dir,
      ["host", "web1"],
      /^error: Not permitted to create the folder hosts\/web1, so nothing was written: hosts is probably immutable or append-only \(lsattr -d hosts\); clear that \(chattr -i\) or fix the permissions, then run again\.\n$/,
      env,
    );
  });

  it(`an immutable flake.nix: its rename fails and the two renamed before it are undone (${chattrWorks ? "chattr +i" : "injected EPERM"})`, async () => {
    const dir = repo();
    const env: Record<string, string> = {};
    if (chattrWorks) chattr("+i", join(dir, "flake.nix"));
    else env.STARTER_GEN_FAIL_AT = "rename:EPERM";
    await expectOneLine(dir, ["host", "web1"], /^error: Not permitted to replace (flake\.nix|hosts\/web1\/configuration\.nix), so nothing was written: .* is probably immutable/, env);
  });
});

describe("a full disk", () => {
  it("--root on a full 2 MB tmpfs: one line at whichever write fails first, the tree unchanged", async ({ skip }) => {
    if (!tmpfsWorks) return skip(NO_TMPFS);
    const mnt = tmpfs()!;
    cpSync(repo(), mnt, { recursive: true });
    const messages = new Set<string>();
    // Fill it completely, then leave 1, 2, 3 pages free: the lock, the
    // journal or a temp file is the write that fails.
    for (const free of [0, 1, 2, 3]) {
      rmSync(join(mnt, "fill"), { force: true });
      const avail = Number(spawnSync("df", ["--output=avail", "-k", mnt], { encoding: "utf8" }).stdout.trim().split("\n")[1]);
      const pages = Math.floor(avail / 4) - free;
      if (pages > 0) spawnSync("dd", ["if=/dev/zero", `of=${join(mnt, "fill")}`, "bs=4k", `count=${pages}`], { stdio: "ignore" });
      else writeFileSync(join(mnt, "fill"), "");
      const line = await expectOneLine(
        mnt,
        ["host", "web1", "--root", mnt],
        new RegExp(`^error: No space left on the device for \\S+, so nothing was written: free some space there \\(df -h ${mnt}\\), then run again\\.\\n$`),
        {},
        ["fill"],
      );
      messages.add(line.replace(/^error: No space left on the device for (\S+),.*\n$/, "$1"));
    }
    // At least the lock and one later write were hit.
    expect(messages.has(".gen.lock")).toBe(true);
    expect(messages.size).toBeGreaterThan(1);
    expect(readdirSync(mnt).sort()).toEqual(["fill", "flake.nix", "hosts", "modules", "nix"]);
  });

  it.each([
    ["journal", ".gen-journal.json"],
    ["write", "hosts/web1/configuration.nix"],
  ])("injected ENOSPC at the %s: one line naming %s, the tree unchanged", async (step, path) => {
    const dir = repo();
    const escaped = path.replace(/\./g, "\\.").replace(/\//g, "\\/");
    await expectOneLine(dir, ["host", "web1"], new RegExp(`^error: No space left on the device for ${escaped}, so nothing was written`), {
      STARTER_GEN_FAIL_AT: `${step}:ENOSPC`,
    });
  });
});

describe("other file-system failures", () => {
  it("a read-only file system: one line; --dry-run still works", async ({ skip }) => {
    if (!tmpfsWorks) return skip(NO_TMPFS);
    const mnt = tmpfs()!;
    cpSync(repo(), mnt, { recursive: true });
    expect(spawnSync("mount", ["-o", "remount,ro", mnt]).status).toBe(0);
    await expectOneLine(mnt, ["host", "web1"], /^error: \.gen\.lock is on a read-only file system, so nothing was written: remount it read-write or work in a writable copy/);
    const dry = await runMain(["host", "web1", "--dry-run"], mnt);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("Dry run: Add host web1 (nothing written)");
  });

  it("permission denied at a rename (injected): one line, the tree unchanged", async () => {
    const dir = repo();
    await expectOneLine(dir, ["user", "bob", "--host", "example"], /^error: Permission denied on hosts\/example\/configuration\.nix, so nothing was written: give your user read and write access to hosts\/example\/configuration\.nix and its folder hosts\/example \(ls -ld/, {
      STARTER_GEN_FAIL_AT: "rename:EACCES",
    });
  });
});

describe("Nix that cannot run", () => {
  it("its state folder cannot be made: Nix cannot run as this user, not a bug report", async () => {
    const dir = repo();
    const line = await expectOneLine(dir, ["host", "web1"], /^error: Nix cannot run as .+ \(nix-instantiate failed before reading any file: creating directory '\/proc\/no-nix-state'/, {
      NIX_STATE_DIR: "/proc/no-nix-state",
    });
    expect(line).not.toMatch(/bug|would not parse/);
  });

  it("as another user whose Nix cannot open its state folder (runuser -u nobody)", ({ skip }) => {
    if (!isRoot || spawnSync("runuser", ["--help"]).status !== 0) return skip("needs root and runuser, to run the CLI as the user nobody");
    // Everything nobody touches lives in a folder made here, so a clone in a
    // private folder (0700, like /root) does not decide the outcome.
    const stage = mkdtempSync(join(tmpdir(), "gen-nobody-"));
    // rmdir, never a recursive remove, for the mount points: were a bind
    // mount ever to outlive its namespace, the clone stays untouched.
    undo.push(() => {
      rmSync(join(stage, "work"), { recursive: true, force: true });
      for (const e of ["packages", "node_modules", "templates", ""]) if (existsSync(join(stage, "repo", e))) rmdirSync(join(stage, "repo", e));
      rmdirSync(stage);
    });
    chmodSync(stage, 0o755);
    if (!nobodyCan("-x", stage)) return skip(`the user nobody cannot enter ${tmpdir()} (set TMPDIR to a world-readable folder to include this test)`);
    const dir = join(stage, "work");
    writeFiles(dir, starterFiles());
    chownTree(dir);
    const before = snapshot(dir);
    const run = runAsNobody(stage, dir, ["host", "web1"]);
    if (run === undefined) return skip(`the user nobody cannot read ${GEN_BIN}, and unshare -m (to show it the CLI from a world-readable folder) is not allowed here`);
    // Where Nix does work for nobody (a daemon), there is nothing to show.
    if (run.status === 0) return;
    expect(run.stderr).toMatch(/^error: Nix cannot run as the user nobody \(nix-instantiate failed before reading any file: [^\n]+\), so nothing was written: make `nix-instantiate --parse --expr 1` work for the user nobody[^\n]+\n$/);
    expect(run.status).toBe(1);
    expect(snapshot(dir)).toEqual(before);
  });
});

/** Whether the user nobody passes `test <flag> <path>` (every folder above it included). */
function nobodyCan(flag: "-r" | "-x", path: string): boolean {
  return spawnSync("runuser", ["-u", "nobody", "--", "test", flag, path]).status === 0;
}

function chownTree(d: string): void {
  chownSync(d, 65534, 65534);
  for (const e of readdirSync(d, { withFileTypes: true })) {
    if (e.isDirectory()) chownTree(join(d, e.name));
    else chownSync(join(d, e.name), 65534, 65534);
  }
}

/**
 * `pnpm gen <args>` as nobody in `cwd`. Where nobody cannot reach the clone,
 * its packages, node_modules and templates are bind-mounted below `stage`
 * in a private mount namespace, which (and its mounts) ends with the run;
 * pnpm's relative symlinks then resolve inside `stage`. Undefined when
 * neither works.
 */
function runAsNobody(stage: string, cwd: string, args: string[]): SpawnSyncReturns<string> | undefined {
  const env = { PATH: process.env.PATH, INIT_CWD: cwd, HOME: cwd };
  if (nobodyCan("-r", GEN_BIN)) {
    return spawnSync("runuser", ["-u", "nobody", "--", process.execPath, GEN_BIN, ...args], { cwd, encoding: "utf8", env });
  }
  const root = join(stage, "repo");
  const script = [
    'root=$1 src=$2; shift 2',
    'for e in packages node_modules templates; do mkdir -p "$root/$e" && mount --bind "$src/$e" "$root/$e" || exit 97; done',
    'exec runuser -u nobody -- "$@"',
  ].join("\n");
  const bin = join(root, relative(REPO_ROOT, GEN_BIN));
  const run = spawnSync("unshare", ["--mount", "--propagation", "private", "sh", "-c", script, "sh", root, REPO_ROOT, process.execPath, bin, ...args], { cwd, encoding: "utf8", env });
  return run.status === 97 || run.error ? undefined : run;
}
