// gen update --adopt: a fork from before the record gets one, read from its
// files by structure (hosts, their users and patterns, deploy targets),
// with the current templates as each entity's base. Answers read wrong only
// make the owner's side of a later merge look edited; no .nix file changes.
import type { AttrBinding } from "../../nix/ast.js";
import { bindingsAt, flakeEntryNames, moduleSettings } from "../../nix/edit.js";
import { readDeployment } from "../../answers/deploy-target.js";
import { GenError } from "../../report/errors.js";
import { SHELLS } from "../../answers/release.js";
import { type RepoView, Tree, fsRepo } from "../../repo/tree.js";
import type { Plan } from "../../write/plan.js";
import { renderDeployment } from "../deploy/plan.js";
import { hostSystem, isMac, listHosts } from "../../repo/facts.js";
import { findUserInModule } from "../../nix/remove.js";
import { RECORD_FILE, type Render, formatRecord, readRecord, recordRun } from "../../repo/record.js";
import { currentTemplate } from "./sources.js";

/** The bindings of a module that set exactly `path` (none when the module cannot be read). */
function bindingsOf(text: string | undefined, path: string[]): AttrBinding[] {
  if (text === undefined) return [];
  const settings = moduleSettings(text);
  if ("reason" in settings) return [];
  return settings.sets.flatMap((set) => {
    const b = bindingsAt(set, [...settings.prefix, ...path]);
    return b === "opaque" ? [] : b;
  });
}

/** The text of the value set at `path` in a module, when one binding sets exactly it. */
function valueAt(text: string | undefined, path: string[]): string | undefined {
  const found = bindingsOf(text, path);
  return found.length === 1 ? text!.slice(found[0]!.value.start, found[0]!.value.end).trim() : undefined;
}

/** A Nix string literal's value (the simple ones the generators write). */
function stringValue(literal: string | undefined): string | undefined {
  if (literal === undefined || !/^"(?:[^"\\$]|\\.)*"$/.test(literal)) return undefined;
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}

const strings = (literal: string | undefined) => [...(literal ?? "").matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);

function pattern(home: string): "shared" | "separate" | "reuse" {
  const said = /\(pattern: (shared|separate|reuse)\)/.exec(home.split("\n")[0] ?? "")?.[1];
  if (said) return said as "shared" | "separate" | "reuse";
  const imports = valueAt(home, ["imports"]) ?? "";
  return imports.includes("modules/home") ? "shared" : imports.includes("nix/") ? "reuse" : "separate";
}

function shellOf(config: string, home: string | undefined, user: string): string {
  const set = /^pkgs\.([A-Za-z0-9_-]+)$/.exec(valueAt(config, ["users", "users", user, "shell"]) ?? "")?.[1];
  if (set) return set === "bashInteractive" ? "bash" : set;
  return SHELLS.find((s) => s !== "bash" && valueAt(home, ["programs", s, "enable"]) === "true") ?? "bash";
}

/** The renders gen user would have made of `user` on `host`, read back from the fork. */
function userRenders(repo: RepoView, host: string, user: string, source: (t: string) => string): Render[] {
  const configPath = `hosts/${host}/configuration.nix`;
  const config = repo.read(configPath)!;
  const home = repo.read(`hosts/${host}/home/${user}.nix`);
  const mac = isMac(repo, host);
  const found = findUserInModule(config, user);
  // gen user's block spans the account to home-manager.users.<u>: a shell it enabled is a line inside that span.
  const span = "reason" in found || found.bindings.length === 0 ? undefined : [found.bindings[0]!.start, found.bindings.at(-1)!.start] as const;
  const shell = shellOf(config, home, user);
  const fullName = stringValue(valueAt(config, ["users", "users", user, "description"])) ?? stringValue(valueAt(home, ["programs", "git", "settings", "user", "name"])) ?? user;
  const standalone = flakeEntryNames(repo.read("flake.nix") ?? "", "homeConfigurations", (path) => repo.read(path))?.includes(`${user}@${host}`) ?? false;
  const p = home === undefined ? undefined : pattern(home);
  const from = p === "reuse" ? (/"?\.\.\/\.\.\/\.\.\/(nix\/[^\s\]"]+\.nix)/.exec(valueAt(home, ["imports"]) ?? "")?.[1] ?? `nix/${user}/home.nix`) : `nix/${user}/home.nix`;
  const data: Record<string, unknown> = {
    userName: user,
    hostName: host,
    description: fullName,
    fullName,
    email: stringValue(valueAt(home, ["programs", "git", "settings", "user", "email"])) ?? "",
    shell,
    standalone,
    stateVersion: stringValue(valueAt(home, ["home", "stateVersion"])) ?? "",
    admin: strings(valueAt(config, ["users", "users", user, "extraGroups"])).includes("wheel"),
    sshKeys: strings(valueAt(config, ["users", "users", user, "openssh", "authorizedKeys", "keys"])),
    enableShell: span !== undefined && bindingsOf(config, ["programs", shell, "enable"]).some((b) => b.start > span[0] && b.start < span[1] && config.slice(b.value.start, b.value.end).trim() === "true"),
    from,
    fromImport: "../../../" + from,
    homeDirectory: `/Users/${user}`,
    primaryUser: mac && stringValue(valueAt(config, ["system", "primaryUser"])) === user,
  };
  const renders: Render[] = [];
  if (!("reason" in found) && found.bindings.length > 0) {
    const t = mac ? "user/account-darwin.block.hbs" : "user/account.block.hbs";
    renders.push({ template: t, data, source: source(t) });
  }
  if (p) renders.push({ template: `user/home-${p}.nix.hbs`, data, source: source(`user/home-${p}.nix.hbs`) });
  if (standalone) {
    const entry = { configName: `${user}@${host}`, userName: user, system: hostSystem(repo, host), modulePath: `./hosts/${host}/home/${user}.nix` };
    renders.push({ template: "user/flake-home.entry.hbs", data: entry, source: source("user/flake-home.entry.hbs") });
  }
  return renders;
}

/** Every entity the fork's files show, as renders of the current templates. */
function adoptRenders(root: string, repo: RepoView = fsRepo(root)): Render[] {
  const source = (t: string) => {
    const text = currentTemplate(root, t);
    if (text === undefined) throw new GenError(`templates/${t} is missing: restore templates/ from the starter (git checkout starter/main -- templates), then run again.`);
    return text;
  };
  const flake = repo.read("flake.nix") ?? "";
  const renders: Render[] = [];
  for (const host of listHosts(repo)) {
    const mac = isMac(repo, host);
    const config = repo.read(`hosts/${host}/configuration.nix`)!;
    const version = valueAt(config, ["system", "stateVersion"]);
    const data = { hostName: host, system: hostSystem(repo, host), stateVersion: mac ? Number(version) : (stringValue(version) ?? "") };
    const file = mac ? "host/darwin-configuration.nix.hbs" : "host/configuration.nix.hbs";
    renders.push({ template: file, data, source: source(file) });
    const output = mac ? "darwinConfigurations" : "nixosConfigurations";
    if (flakeEntryNames(flake, output, (path) => repo.read(path))?.includes(host)) {
      const entry = mac ? "host/flake-darwin.entry.hbs" : "host/flake-host.entry.hbs";
      renders.push({ template: entry, data, source: source(entry) });
    }
    const deployment = repo.read(`hosts/${host}/deployment.nix`);
    const read = deployment === undefined ? undefined : readDeployment(deployment, (d) => renderDeployment(host, d));
    if (read) {
      const t = read.target;
      const target = t ? { host: t.host, user: t.user ?? false, port: t.port ?? false } : false;
      const tags = read.tags;
      const d = { hostName: host, target, oneTag: tags.length === 1 ? tags[0] : false, manyTags: tags.length > 1 ? tags : false };
      renders.push({ template: "host/deployment.nix.hbs", data: d, source: source("host/deployment.nix.hbs") });
    }
    const users = new Set(repo.listFiles(`hosts/${host}/home`).filter((f) => f.endsWith(".nix")).map((f) => f.slice(0, -4)));
    for (const user of [...users].sort()) renders.push(...userRenders(repo, host, user, source));
  }
  for (const user of repo.listDir("nix")) {
    const home = repo.read(`nix/${user}/home.nix`);
    if (home === undefined) continue;
    const data = {
      userName: user,
      fullName: stringValue(valueAt(home, ["programs", "git", "settings", "user", "name"])) ?? user,
      email: stringValue(valueAt(home, ["programs", "git", "settings", "user", "email"])) ?? "",
      shell: SHELLS.find((s) => s !== "bash" && valueAt(home, ["programs", s, "enable"]) === "true") ?? "bash",
      stateVersion: stringValue(valueAt(home, ["home", "stateVersion"])) ?? "",
    };
    renders.push({ template: "user/standalone-home.nix.hbs", data, source: source("user/standalone-home.nix.hbs") });
    if (flakeEntryNames(flake, "homeConfigurations")?.includes(user)) {
      const firstHost = listHosts(repo).find((h) => repo.read(`hosts/${h}/home/${user}.nix`) !== undefined);
      const entry = { configName: user, userName: user, system: firstHost ? hostSystem(repo, firstHost) : "x86_64-linux", modulePath: `./nix/${user}/home.nix` };
      renders.push({ template: "user/flake-home.entry.hbs", data: entry, source: source("user/flake-home.entry.hbs") });
    }
  }
  return renders;
}

/** The plan of --adopt: the record file only, with the entities not recorded yet added. */
export function planAdopt(root: string, repo: RepoView = fsRepo(root)): { plan: Plan } {
  const record = readRecord(repo);
  const adopted = recordRun({ entities: {} }, adoptRenders(root, repo));
  const added = Object.keys(adopted.entities).filter((id) => !(id in record.entities)).sort();
  const tree = new Tree(repo);
  if (added.length > 0) {
    const next = { entities: { ...record.entities, ...Object.fromEntries(added.map((id) => [id, adopted.entities[id]!])) } };
    tree.write(RECORD_FILE, formatRecord(next));
  }
  const title = added.length === 0 ? "Nothing to adopt: every host and user the fork shows is recorded" : `Record ${added.join(", ")} with the current templates as their base`;
  return { plan: { title, changes: tree.changes(), nextSteps: added.length > 0 ? [`Commit the record: git add ${RECORD_FILE} && git commit -m "gen: record what was generated"`, "Template changes merged from the starter from now on reach these hosts and users with pnpm gen update."] : [] } };
}
