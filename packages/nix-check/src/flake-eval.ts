import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NIX_FLAGS, NixMissingError, nixAvailable, withoutNixWarnings } from "./nix-bin.js";

/** The stub flakes that stand in for nixpkgs, home-manager, nix-darwin, colmena, agenix and disko (no network). */
/**
 * The inputs the stubs stand in for, each in STUBS_DIR/<name>. Nix only
 * warns about an override for an input a flake does not have (a fork
 * without agenix or disko), so every one is always passed.
 */
const STUB_INPUTS = ["nixpkgs", "home-manager", "nix-darwin", "colmena", "agenix", "disko"] as const;

export const STUBS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "stubs");

/** What a flake needs to evaluate: the rest of a checkout (node_modules!) would only slow `path:` copies. */
export const FLAKE_TREE = ["flake.nix", "flake.lock", "hosts", "modules", "nix", "secrets"] as const;

/** Copies the flake's own files from `root` into a fresh temp dir and returns it. */
export function copyFlakeTree(root: string): string {
  const dest = mkdtempSync(join(tmpdir(), "flake-"));
  for (const name of FLAKE_TREE) {
    const src = join(root, name);
    if (existsSync(src)) cpSync(src, join(dest, name), { recursive: true });
  }
  return dest;
}

export interface EvalOptions {
  /** A Nix function applied to the attribute before it is printed as JSON. */
  apply?: string;
}

/**
 * Evaluates `attr` of the flake in `dir` with every input of STUB_INPUTS
 * replaced by its stub, and returns the JSON result. `dir` is read as a
 * `path:` flake, so untracked files count and git is not involved.
 */
export function evalWithStubs<T = unknown>(dir: string, attr: string, options: EvalOptions = {}): T {
  if (!nixAvailable()) throw new NixMissingError();
  const args = [
    ...NIX_FLAGS,
    "eval",
    "--json",
    "--no-write-lock-file",
    ...STUB_INPUTS.flatMap((name) => ["--override-input", name, `path:${join(STUBS_DIR, name)}`]),
    // `#""` is the empty attribute path: the whole output set.
    `path:${dir}#${attr || '""'}`,
  ];
  if (options.apply) args.push("--apply", options.apply);
  const run = spawnSync("nix", args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) {
    const detail = withoutNixWarnings(run.stderr ?? "").split("\n").filter((l) => !l.startsWith("•") && !l.startsWith("    ")).join("\n");
    throw new Error(`nix eval ${attr || "of the outputs"} failed:\n${detail.trim() || run.error?.message}`);
  }
  return JSON.parse(run.stdout) as T;
}

/** What the stubs report for one host. */
export interface HostStructure {
  hostName: string | null;
  platform: string | null;
  /** A NixOS release ("26.05"), or on a Mac nix-darwin's integer. */
  stateVersion: string | number | null;
  users: string[];
  /** Each user's users.users.<u>.home, where the host sets it (a Mac's Home Manager reads it). */
  userHomes: Record<string, string | null>;
  homeUsers: Record<string, HomeStructure>;
  files: string[];
}

/** What the stubs report for one home (integrated or standalone). */
export interface HomeStructure {
  username: string | null;
  stateVersion: string | null;
  homeDirectory: string | null;
  gitName: string | null;
  gitEmail: string | null;
  files: string[];
}

const STORE_PREFIX = String.raw`/nix/store/[a-z0-9]{32}-source/`;

/** Repo-relative module files, in walk order, without the stubs' placeholders. */
function repoFiles(files: string[]): string[] {
  const re = new RegExp("^" + STORE_PREFIX);
  return files.filter((f) => re.test(f)).map((f) => f.replace(re, ""));
}

const HOME_APPLY = `h: {
  username = h.home.username; stateVersion = h.home.stateVersion; homeDirectory = h.home.homeDirectory;
  gitName = h.programs.git.settings.user.name; gitEmail = h.programs.git.settings.user.email;
  files = h.files;
}`;

/** What the stubs report of a host, as Nix attributes of its evaluated system `c` (hosts and hive nodes alike). */
const HOST_FIELDS = `hostName = c.config.networking.hostName; platform = c.config.nixpkgs.hostPlatform;
      stateVersion = c.config.system.stateVersion;
      users = builtins.attrNames c.config.users.users;
      userHomes = builtins.mapAttrs (u: v: v.home) c.config.users.users;
      homeUsers = builtins.mapAttrs (u: ${HOME_APPLY}) c.config.home-manager.users;`;

/** Every nixosConfiguration (or, with `output`, darwinConfiguration), walked by the stubs. */
export function evalHosts(dir: string, output: "nixosConfigurations" | "darwinConfigurations" = "nixosConfigurations"): Record<string, HostStructure> {
  return hostFiles(evalWithStubs<Record<string, HostStructure>>(dir, output, { apply: HOSTS_APPLY }));
}

const HOSTS_APPLY = `cs: builtins.mapAttrs (n: c: {
      ${HOST_FIELDS}
      files = c.files;
    }) cs`;

function hostFiles(raw: Record<string, HostStructure>): Record<string, HostStructure> {
  for (const host of Object.values(raw)) {
    host.files = repoFiles(host.files);
    for (const home of Object.values(host.homeUsers)) home.files = repoFiles(home.files);
  }
  return raw;
}

/** Every homeConfiguration, walked by the stubs. */
export function evalHomes(dir: string): Record<string, HomeStructure> {
  return homeFiles(evalWithStubs<Record<string, HomeStructure>>(dir, "homeConfigurations", { apply: HOMES_APPLY }));
}

const HOMES_APPLY = `cs: builtins.mapAttrs (n: c: (${HOME_APPLY}) c.config) cs`;

function homeFiles(raw: Record<string, HomeStructure>): Record<string, HomeStructure> {
  for (const home of Object.values(raw)) home.files = repoFiles(home.files);
  return raw;
}

/** The names of the flake's checks, per system. */
export function evalChecks(dir: string): Record<string, string[]> {
  return evalWithStubs<Record<string, string[]>>(dir, "checks", { apply: CHECKS_APPLY });
}

const CHECKS_APPLY = "builtins.mapAttrs (system: builtins.attrNames)";

export interface FlakeStructure {
  hosts: Record<string, HostStructure>;
  /** darwinConfigurations: Macs. */
  macs: Record<string, HostStructure>;
  homes: Record<string, HomeStructure>;
  checks: Record<string, string[]>;
}

/** A flake's outputs `f` as the stubs report them: hosts, Macs, homes and checks. */
const STRUCTURE_APPLY = `f: {
  hosts = (${HOSTS_APPLY}) f.nixosConfigurations;
  macs = if f ? darwinConfigurations then (${HOSTS_APPLY}) f.darwinConfigurations else { };
  homes = (${HOMES_APPLY}) f.homeConfigurations;
  checks = (${CHECKS_APPLY}) f.checks;
}`;

const structure = (raw: FlakeStructure): FlakeStructure => ({ hosts: hostFiles(raw.hosts), macs: hostFiles(raw.macs), homes: homeFiles(raw.homes), checks: raw.checks });

/** Copies the flake out of `root`, evaluates hosts, homes and checks, and cleans up. */
export function evalFlakeStructure(root: string): FlakeStructure {
  const dir = copyFlakeTree(root);
  try {
    // One `nix eval` of the whole output set (the empty attribute path) in
    // place of four: each costs a process and a copy of the flake to the store.
    return structure(evalWithStubs<FlakeStructure>(dir, "", { apply: STRUCTURE_APPLY }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * evalFlakeStructure of every one of `roots` in a single `nix eval`: a flake
 * whose inputs are theirs, each of their inputs following the one stub. When
 * that fails, each is evaluated alone, so the error names the flake at fault.
 */
export function evalFlakeStructures(roots: readonly string[]): FlakeStructure[] {
  if (roots.length < 2) return roots.map(evalFlakeStructure);
  const dirs = roots.map(copyFlakeTree);
  const batch = mkdtempSync(join(tmpdir(), "flakes-"));
  try {
    const inputs = [
      ...STUB_INPUTS.map((n) => `${n}.url = "path:${join(STUBS_DIR, n)}";${n === "nixpkgs" ? "" : ` ${n}.inputs.nixpkgs.follows = "nixpkgs";`}`),
      ...dirs.map((d, i) => [`f${i}.url = "path:${d}";`, ...STUB_INPUTS.map((n) => `f${i}.inputs.${n}.follows = "${n}";`)].join(" ")),
    ];
    const all = dirs.map((_, i) => `inputs.f${i}`).join(" ");
    writeFileSync(join(batch, "flake.nix"), `{\n  inputs = {\n${inputs.map((l) => `    ${l}\n`).join("")}  };\n  outputs = inputs: { all = [ ${all} ]; };\n}\n`);
    let raw: FlakeStructure[];
    try {
      raw = evalWithStubs<FlakeStructure[]>(batch, "all", { apply: `map (${STRUCTURE_APPLY})` });
    } catch {
      return roots.map(evalFlakeStructure);
    }
    return raw.map(structure);
  } finally {
    for (const d of [batch, ...dirs]) rmSync(d, { recursive: true, force: true });
  }
}

/** What the stub colmena reports for one node of colmenaHive. */
export interface NodeStructure {
  targetHost: string | null;
  targetUser: string | null;
  targetPort: number | null;
  tags: string[];
  buildOnTarget: boolean;
  /** The system of the nixpkgs the hive builds the node with (meta.nixpkgs or meta.nodeNixpkgs). */
  nixpkgsSystem: string | null;
  hostName: string | null;
  platform: string | null;
  stateVersion: string | null;
  users: string[];
  /** Each user's users.users.<u>.home, where the host sets it. */
  userHomes: Record<string, string | null>;
  homeUsers: Record<string, HomeStructure>;
  /** fileSystems."/".device, from the hardware config. */
  rootDevice: string | null;
  files: string[];
}

/** Every node of colmenaHive, walked by the stubs (the stub colmena evaluates each like Colmena does). */
export function evalHive(dir: string): Record<string, NodeStructure> {
  const raw = evalWithStubs<Record<string, NodeStructure>>(dir, "colmenaHive.nodes", {
    apply: `ns: builtins.mapAttrs (n: c: c.config.deployment // {
      nixpkgsSystem = c.nixpkgsSystem;
      ${HOST_FIELDS}
      rootDevice = c.config.fileSystems."/".device or null;
      files = c.files;
    }) ns`,
  });
  for (const node of Object.values(raw)) {
    node.files = repoFiles(node.files);
    for (const home of Object.values(node.homeUsers)) home.files = repoFiles(home.files);
  }
  return raw;
}
