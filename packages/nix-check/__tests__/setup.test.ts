// scripts/setup.sh on a machine with Nix but without apt-get, Chromium or
// sudo (NixOS, a Mac): it installs what it can, names `nix develop` for the
// rest, and succeeds. And .envrc hands direnv users the same dev shell.
// The script runs on a copy of itself in a temp project (a package.json with
// the pinned pnpm and no dependencies), on a PATH built from symlinks.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const PINNED_PNPM = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { packageManager: string }).packageManager.split("@")[1]!;

/** Basic tools: what the script and the stand-ins below use, and env (for node's shebangs). */
const BASIC_TOOLS = ["bash", "sh", "env", "dirname", "id", "cat", "sed", "grep", "head", "mkdir", "chmod", "rm", "ls", "uname"];

function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Machine {
  /** The project the script sets up (its own copy in scripts/). */
  project: string;
  bin: string;
  home: string;
}

/** A temp project and HOME, and a bin/ of symlinks to the real `tools`. */
function machine(tools: string[]): Machine {
  const root = mkdtempSync(join(tmpdir(), "setup-"));
  temps.push(root);
  const project = join(root, "project");
  const bin = join(root, "bin");
  const home = join(root, "home");
  for (const dir of [join(project, "scripts"), bin, home]) mkdirSync(dir, { recursive: true });
  copyFileSync(join(REPO_ROOT, "scripts", "setup.sh"), join(project, "scripts", "setup.sh"));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "setup-test", private: true, packageManager: `pnpm@${PINNED_PNPM}` }));
  for (const tool of [...BASIC_TOOLS, ...tools]) {
    const real = which(tool);
    if (real) symlinkSync(real, join(bin, tool));
  }
  return { project, bin, home };
}

function script(bin: string, name: string, body: string): void {
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
}

function runSetup(m: Machine) {
  const run = spawnSync(join(m.bin, "bash"), [join(m.project, "scripts", "setup.sh")], {
    cwd: m.project,
    encoding: "utf8",
    env: { PATH: m.bin, HOME: m.home, CI: "1" },
  });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("scripts/setup.sh without apt-get", () => {
  it("installs the packages, exits 0 and points at nix develop for Chromium", () => {
    const m = machine(["node", "npm", "pnpm", "nix", "nix-instantiate"]);
    // Nix is what this machine is about: stand in for it where it is not installed.
    for (const tool of ["nix", "nix-instantiate"]) if (!existsSync(join(m.bin, tool))) script(m.bin, tool, "exit 0");
    for (const absent of ["apt-get", "chromium", "sudo"]) expect(existsSync(join(m.bin, absent))).toBe(false);

    const { code, output } = runSetup(m);
    expect(output).toContain("nix develop");
    expect(output).toContain("nix shell nixpkgs#chromium");
    expect(output.split("\n").filter((l) => l.includes("nix develop"))).toHaveLength(1);
    expect(code).toBe(0);
    expect(existsSync(join(m.project, "node_modules"))).toBe(true);
  });

  it("on a Mac, where nixpkgs has no Chromium, names CHROMIUM_PATH instead of nix shell nixpkgs#chromium", () => {
    const m = machine(["node", "npm", "pnpm"]);
    for (const tool of ["nix", "nix-instantiate"]) script(m.bin, tool, "exit 0");
    rmSync(join(m.bin, "uname"), { force: true });
    script(m.bin, "uname", "echo Darwin");

    const { code, output } = runSetup(m);
    expect(code).toBe(0);
    expect(output).toContain("set CHROMIUM_PATH");
    expect(output).not.toContain("nixpkgs#chromium");
  });

  it("says when Nix is installed but cannot run for this user, with Nix's reason and the daemon to start, and goes on", () => {
    const m = machine(["node", "npm", "pnpm"]);
    script(m.bin, "nix", "exit 0");
    script(m.bin, "nix-instantiate", `echo "warning: the group 'nixbld' does not exist" >&2; echo "error: could not set permissions on '/nix/var/nix/profiles/per-user' to 755: Operation not permitted" >&2; exit 1`);

    const { code, output } = runSetup(m);
    const said = output.split("\n").filter((l) => l.includes("Nix is installed but cannot run"));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^setup: Nix is installed but cannot run as \S+ \(could not set permissions on '\/nix\/var\/nix\/profiles\/per-user' to 755: Operation not permitted\): have nix-daemon running \(on Debian: sudo apt-get install nix-setup-systemd\)/);
    expect(code).toBe(0);
    expect(existsSync(join(m.project, "node_modules"))).toBe(true);
  });

  it("installs pnpm for the user, not with sudo, when npm's global prefix is not writable", () => {
    const m = machine(["node"]);
    script(m.bin, "nix-instantiate", "exit 0");
    script(m.bin, "chromium", "exit 0");
    // A sudo that would give itself away; an npm whose global prefix nobody can write.
    script(m.bin, "sudo", `echo "sudo $*" >> "$HOME/sudo.log"; exit 1`);
    script(
      m.bin,
      "npm",
      [
        `echo "npm $*" >> "$HOME/npm.log"`,
        `if [ "$1 $2" = "prefix -g" ]; then echo /nonexistent/npm-prefix; exit 0; fi`,
        `if [ "$1 $2 $3" = "install -g --prefix" ]; then`,
        `  mkdir -p "$4/bin" && printf '#!/bin/sh\\n[ "$1" = --version ] && echo ${PINNED_PNPM}\\necho "pnpm $*" >> "$HOME/pnpm.log"\\n' > "$4/bin/pnpm" && chmod +x "$4/bin/pnpm"; exit 0`,
        `fi`,
        `exit 1`,
      ].join("\n"),
    );

    const { code, output } = runSetup(m);
    expect(code).toBe(0);
    expect(existsSync(join(m.home, "sudo.log"))).toBe(false);
    expect(readFileSync(join(m.home, "npm.log"), "utf8")).toContain(`npm install -g --prefix ${m.home}/.local pnpm@${PINNED_PNPM}`);
    expect(readFileSync(join(m.home, "pnpm.log"), "utf8")).toContain("pnpm install --frozen-lockfile");
    expect(output).toMatch(/add ~\/\.local\/bin to PATH/);
  });
});

describe("scripts/setup.sh with apt-get", () => {
  /** A Debian without Chromium: apt-get and sudo log what they are asked; apt-cache knows the headless shell or not. */
  function debian(hasHeadlessShell: boolean): Machine {
    const m = machine(["node"]);
    for (const tool of ["nix-instantiate", "age"]) script(m.bin, tool, "exit 0");
    script(m.bin, "pnpm", `[ "$1" = --version ] && echo ${PINNED_PNPM}; exit 0`);
    script(m.bin, "sudo", `exec "$@"`);
    script(m.bin, "apt-get", `echo "apt-get $*" >> "$HOME/apt.log"`);
    script(m.bin, "apt-cache", `[ "$1 $2" = "show chromium-headless-shell" ] && exit ${hasHeadlessShell ? 0 : 100}; exit 100`);
    return m;
  }

  it.each([
    [true, "chromium-headless-shell"],
    [false, "chromium"],
  ])("installs the browser tests' Chromium: with the headless shell in the archive %s, %s", (hasHeadlessShell, browser) => {
    const m = debian(hasHeadlessShell);
    const { code, output } = runSetup(m);
    expect(code, output).toBe(0);
    const installs = readFileSync(join(m.home, "apt.log"), "utf8")
      .split("\n")
      .filter((l) => l.includes(" install "));
    expect(installs).toEqual([`apt-get install -y -qq --no-install-recommends ${browser}`]);
    expect(output).toContain(`setup: installing ${browser} from Debian's packages`);
  });
});

describe(".envrc", () => {
  it("enters the flake's dev shell for direnv users", () => {
    const lines = readFileSync(join(REPO_ROOT, ".envrc"), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
    expect(lines).toEqual(["use flake"]);
  });
});
