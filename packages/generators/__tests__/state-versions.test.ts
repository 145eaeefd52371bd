// The two state versions: a host's system.stateVersion is a NixOS release no
// newer than the pinned one; a home's home.stateVersion is its own, one the
// pinned Home Manager accepts, whatever the host's.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { STUBS_DIR, evalFlakeStructure, nixAvailable, parseNixSources } from "@starter/nix-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { RELEASE } from "../src/answers/release.js";
import { STARTER_DIR } from "../src/repo/starter.js";
import {
  HOME_MANAGER_STATE_VERSIONS,
  NIXOS_RELEASES,
  STATE_DEPENDENT_DEFAULTS,
  checkHomeStateVersion,
  checkStateVersion,
} from "../src/answers/state-versions.js";
import { makeRepo, readTree, removeRepo, starterFiles } from "./helpers.js";

/** `pnpm gen` in-process, as a script runs it (no terminal). */
async function gen(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false, cwd });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("the lists", () => {
  it("end at the pinned release and are in order", () => {
    for (const list of [NIXOS_RELEASES, HOME_MANAGER_STATE_VERSIONS]) {
      expect(list.at(-1)).toBe(RELEASE);
      expect([...list].sort()).toEqual([...list]);
      expect(new Set(list).size).toBe(list.length);
    }
    // Home Manager's list starts at 18.09 and keeps 21.03, which NixOS never released.
    expect(HOME_MANAGER_STATE_VERSIONS[0]).toBe("18.09");
    expect(HOME_MANAGER_STATE_VERSIONS).toContain("21.03");
    expect(NIXOS_RELEASES).not.toContain("21.03");
  });
});

describe("system.stateVersion", () => {
  it.each(["13.10", "17.09", "21.05", "24.11", RELEASE])("accepts the NixOS release %s", (v) => {
    expect(checkStateVersion(v)).toBeUndefined();
  });
  it.each([
    ["26.11", /26\.11 is newer than the pinned NixOS 26\.05/],
    ["99.99", /99\.99 is newer than the pinned NixOS 26\.05/],
    ["24.13", /24\.13 is not a NixOS release: use one of 13\.10, .*, 26\.05\./],
    ["21.03", /21\.03 is not a NixOS release/],
    ["banana", /"banana" is not a NixOS release/],
    ["26", /"26" is not a NixOS release/],
  ])("refuses %s", (v, reason) => {
    expect(checkStateVersion(v)).toMatch(reason);
  });
});

describe("home.stateVersion", () => {
  it("accepts exactly Home Manager 26.05's list", () => {
    for (const v of HOME_MANAGER_STATE_VERSIONS) expect(checkHomeStateVersion(v)).toBeUndefined();
    for (const v of ["17.09", "26.11", "21.04", ""]) expect(checkHomeStateVersion(v)).toMatch(/not one Home Manager 26\.05 accepts/);
  });
});

describe("gen host --state-version", () => {
  it.each(["26.11", "99.99", "24.13", "banana"])("%s is refused with one line and the tree unchanged", async (v) => {
    const dir = makeRepo(starterFiles());
    try {
      const before = readTree(dir);
      const result = await gen(["host", "old", "--state-version", v], dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: The state version .* (is not a NixOS release|is newer than the pinned NixOS 26\.05)[^\n]*\.$/);
      expect(result.stdout).toBe("");
      expect(readTree(dir)).toEqual(before);
    } finally {
      removeRepo(dir);
    }
  });
});

describe("hosts installed long ago get users in every pattern", () => {
  // Each old host gets one user per pattern, standalone too; each home
  // starts at the pinned release, whatever the host's state version.
  const HOSTS = { old2411: "24.11", old1709: "17.09" } as const;
  const USERS = [
    ["sep", ["--pattern", "separate", "--standalone"]],
    ["sha", ["--pattern", "shared", "--standalone", "--shell", "zsh"]],
    ["reu", ["--pattern", "reuse", "--standalone"]],
  ] as const;
  let dir = "";
  const results: Array<{ code: number; stderr: string }> = [];
  let structure: ReturnType<typeof evalFlakeStructure>;

  beforeAll(async () => {
    const files = starterFiles();
    // alice's standalone home was started on 24.05: reusing it keeps that.
    files["nix/alice/home.nix"] = files["nix/alice/home.nix"]!.replace(`home.stateVersion = "${RELEASE}";`, 'home.stateVersion = "24.05";');
    dir = makeRepo(files);
    for (const [host, version] of Object.entries(HOSTS)) results.push(await gen(["host", host, "--state-version", version, "--user", `${host}u`], dir));
    for (const [host] of Object.entries(HOSTS)) {
      for (const [user, flags] of USERS) results.push(await gen(["user", `${user}${host.slice(3)}`, "--host", host, ...flags], dir));
      results.push(await gen(["user", "alice", "--host", host, "--pattern", "reuse", "--standalone"], dir));
    }
    structure = evalFlakeStructure(dir);
  });
  afterAll(() => removeRepo(dir));

  it("every run succeeds", () => {
    for (const r of results) expect(r).toMatchObject({ code: 0, stderr: "" });
  });

  it("every file parses", () => {
    const nix = Object.entries(readTree(dir)).filter(([p]) => p.endsWith(".nix")).map(([path, content]) => ({ path, content }));
    expect(parseNixSources(nix)).toEqual({ ok: true });
  });

  it("the hosts keep their own state version; every home has one Home Manager 26.05 accepts", () => {
    for (const [host, version] of Object.entries(HOSTS)) {
      const h = structure.hosts[host]!;
      expect(h.stateVersion).toBe(version);
      expect(Object.keys(h.homeUsers).sort()).toEqual(["alice", `${host}u`, `reu${host.slice(3)}`, `sep${host.slice(3)}`, `sha${host.slice(3)}`].sort());
      for (const [user, home] of Object.entries(h.homeUsers)) {
        expect(HOME_MANAGER_STATE_VERSIONS, `${user} on ${host}`).toContain(home.stateVersion);
        // New homes start at the pinned release; alice's existing home keeps its own.
        expect(home.stateVersion, `${user} on ${host}`).toBe(user === "alice" ? "24.05" : RELEASE);
      }
    }
    for (const [name, home] of Object.entries(structure.homes)) {
      expect(HOME_MANAGER_STATE_VERSIONS, name).toContain(home.stateVersion);
    }
    expect(structure.homes["alice@old1709"]!.stateVersion).toBe("24.05");
    expect(structure.homes["reu1709"]!.stateVersion).toBe(RELEASE);
  });

  it("a reused standalone config whose home.stateVersion Home Manager 26.05 refuses is refused", async () => {
    const files = starterFiles();
    files["nix/old/home.nix"] = '{ ... }: { home.stateVersion = "17.09"; }\n';
    const repo = makeRepo(files);
    try {
      const before = readTree(repo);
      const result = await gen(["user", "bob", "--host", "example", "--pattern", "reuse", "--from", "nix/old/home.nix"], repo);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'error: nix/old/home.nix sets home.stateVersion "17.09", which Home Manager 26.05 does not accept (it takes 18.09 to 26.05): set the release the home was first used with, or pick another config.',
      );
      expect(readTree(repo)).toEqual(before);
    } finally {
      removeRepo(repo);
    }
  });
});

describe("the shared home modules", () => {
  // Walks modules/home of the starter with the stubs' module walker and says,
  // for each option whose default depends on home.stateVersion, whether the
  // modules turn on what it belongs to and whether they set it themselves.
  it.skipIf(!nixAvailable())("set every option whose 26.05 default depends on home.stateVersion, so older homes get no warning", () => {
    const paths = (option: string) => `[ ${option.split(".").map((p) => JSON.stringify(p)).join(" ")} ]`;
    const checks = STATE_DEPENDENT_DEFAULTS.map(
      (d) => `{ option = "${d.option}"; enabled = defined ${paths(d.enabledBy)}; set = defined ${paths(d.option)}; }`,
    ).join(" ");
    const expr = `
      let
        walk = import ${join(STUBS_DIR, "nixpkgs", "walk.nix")};
        records = walk.collect { lib = walk.lib; pkgs = { }; config = { }; options = { }; } "<test>" ${join(STARTER_DIR, "modules", "home")};
        at = path: set: if path == [ ] then true else builtins.isAttrs set && set ? \${builtins.head path} && at (builtins.tail path) set.\${builtins.head path};
        defined = path: builtins.any (r: at path r.value) records;
      in [ ${checks} ]`;
    const run = spawnSync("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const found = JSON.parse(run.stdout) as Array<{ option: string; enabled: boolean; set: boolean }>;
    expect(found.map((f) => f.option)).toEqual(STATE_DEPENDENT_DEFAULTS.map((d) => d.option));
    for (const f of found) expect(f, f.option).toEqual({ option: f.option, enabled: true, set: true });
  });
});
