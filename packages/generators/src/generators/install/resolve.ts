// gen install's answers, checked before anything is made or run: every
// refusal is one sentence and leaves the tree as it was.
import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { DISK_PLACEHOLDER_PREFIX } from "@starter/nix-check/disk-placeholder";
import { checkHostName } from "../../answers/rules.js";
import { type Deployment, type Target, deploymentPath, parseTarget, readDeployment } from "../../answers/deploy-target.js";
import { GenError } from "../../report/errors.js";
import { type Expr, parseNix } from "../../nix/ast.js";
import { isHost, isMac } from "../../repo/facts.js";
import { renderDeployment } from "../deploy/plan.js";
import type { RepoView } from "../../repo/tree.js";
import { diskConfigPath } from "../host/disk.js";
import { DISK_KEY_REMOTE } from "./nixos-anywhere.js";
import { isInside } from "./secrets-dir.js";

export interface InstallAnswers {
  name: string;
  /** `user@address`, optionally `:port` as gen deploy takes it. */
  target: string;
  port?: number | string;
  sshKey?: string;
  diskPassphraseFile?: string;
  dryRun?: boolean;
  yes?: boolean;
}

export interface ResolvedInstall {
  name: string;
  target: Target & { user: string };
  /** user@address as ssh takes it. */
  sshTarget: string;
  port?: number;
  sshKey?: string;
  /** The layout reads a passphrase from /tmp/disk.key while installing. */
  luks: boolean;
  /** The passphrase read from --disk-passphrase-file (undefined: ask, or not LUKS). */
  passphrase?: string;
  /** The deployment.nix as it will be (undefined: already says this). */
  deployment?: string;
}

const fail = (message: string): never => {
  throw new GenError(message);
};

/** Whether the layout has `passwordFile = "/tmp/disk.key"` somewhere (read by its structure). */
function layoutReadsDiskKey(text: string): boolean {
  let found = false;
  const visit = (e: Expr | undefined): void => {
    if (!e || found) return;
    if (e.type === "set" || e.type === "let") {
      for (const b of e.bindings) {
        if (b.kind !== "attr") continue;
        const last = b.path[b.path.length - 1];
        if (last && "name" in last && last.name === "passwordFile" && text.slice(b.value.start, b.value.end).trim() === JSON.stringify(DISK_KEY_REMOTE)) found = true;
        visit(b.value);
      }
      if (e.type === "let") visit(e.body);
    } else if (e.type === "lambda" || e.type === "with" || e.type === "assert") visit(e.body);
    else if (e.type === "paren") visit(e.inner);
    else if (e.type === "binary") {
      visit(e.left);
      visit(e.right);
    } else if (e.type === "apply") e.args.forEach(visit);
  };
  visit(parseNix(text).expr);
  return found;
}

/** Why `name` cannot be installed: not a host name, no such host, or a Mac. */
export function hostReason(repo: RepoView, name: string): string | undefined {
  return (
    checkHostName(name) ??
    (!isHost(repo, name) ? `There is no host ${name} (no hosts/${name}/configuration.nix): add it first with pnpm gen host ${name} --disk <layout>.` : undefined) ??
    (isMac(repo, name) ? `${name} is a Mac: macOS is not installed this way (nixos-anywhere installs NixOS); install Nix and nix-darwin on the Mac itself, as the Macs page says.` : undefined)
  );
}

/** Why `value` is no target nixos-anywhere can log in to: gen deploy's checks, and a user. */
export function targetReason(value: string): string | undefined {
  const parsed = parseTarget(value);
  if ("reason" in parsed) return parsed.reason;
  if (parsed.user === undefined) return `The target ${JSON.stringify(value)} has no user: nixos-anywhere logs in as one, so give it, such as root@${value}.`;
  return undefined;
}

/** Why `text` is no SSH port. */
export function portReason(text: string): string | undefined {
  const n = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  return n >= 1 && n <= 65535 ? undefined : `The port ${JSON.stringify(text)} is not a number from 1 to 65535: give the SSH port of the target, such as --port 22.`;
}

/** Checks everything gen install is given, reading the repository only. */
export function resolveInstall(repo: RepoView, root: string, answers: InstallAnswers, cwd: string): ResolvedInstall {
  const { name } = answers;
  const nameReason = hostReason(repo, name);
  if (nameReason) fail(nameReason);

  const layout = repo.read(diskConfigPath(name));
  if (layout === undefined) {
    fail(`${name} has no ${diskConfigPath(name)}, so nixos-anywhere would not know how to partition it: write one (the Install page shows the layouts gen host --disk writes), then run again.`);
  }
  if (layout!.includes(DISK_PLACEHOLDER_PREFIX)) {
    fail(`${diskConfigPath(name)} still names the placeholder disk ${DISK_PLACEHOLDER_PREFIX}…: put the machine's disk there (\`ls -l /dev/disk/by-id\` on it), then run again.`);
  }
  let luks: boolean;
  try {
    luks = layoutReadsDiskKey(layout!);
  } catch {
    return fail(`${diskConfigPath(name)} is not valid Nix: fix it, then run again.`);
  }

  const targetWhy = targetReason(answers.target);
  if (targetWhy) fail(targetWhy);
  const target = parseTarget(answers.target) as Target;
  let port = target.port;
  if (answers.port !== undefined) {
    const text = String(answers.port);
    const portWhy = portReason(text);
    if (portWhy) fail(portWhy);
    const n = Number(text);
    if (port !== undefined && port !== n) fail(`The target says port ${port} and --port says ${n}: give the port once.`);
    port = n;
  }

  let sshKey: string | undefined;
  if (answers.sshKey !== undefined) {
    const given = answers.sshKey.startsWith("~/") ? resolve(homedir(), answers.sshKey.slice(2)) : answers.sshKey;
    sshKey = isAbsolute(given) ? given : resolve(cwd, given);
    if (!existsSync(sshKey) || !statSync(sshKey).isFile()) fail(`The SSH key ${JSON.stringify(answers.sshKey)} is not a file: give the private key that logs in to the target, such as --ssh-key ~/.ssh/id_ed25519.`);
  }

  let passphrase: string | undefined;
  if (answers.diskPassphraseFile !== undefined) {
    const shown = JSON.stringify(answers.diskPassphraseFile);
    if (!luks) fail(`${name}'s layout encrypts nothing (no passwordFile = "${DISK_KEY_REMOTE}" in ${diskConfigPath(name)}): drop --disk-passphrase-file.`);
    const file = resolve(cwd, answers.diskPassphraseFile);
    if (!existsSync(file) || !statSync(file).isFile()) fail(`The passphrase file ${shown} is not a file: give a file that holds the disk's passphrase, outside the repository.`);
    if (isInside(file, root)) fail(`The passphrase file ${shown} is inside the repository, where a secret must never be: move it out (and remove it from git's history if it was committed), then run again.`);
    passphrase = readFileSync(file, "utf8").replace(/\r?\n$/, "");
    if (passphrase === "") fail(`The passphrase file ${shown} is empty: put the disk's passphrase in it.`);
    if (/[\r\n]/.test(passphrase)) fail(`The passphrase file ${shown} has several lines: the passphrase is its one line.`);
  }

  return {
    name,
    target: target as Target & { user: string },
    sshTarget: `${target.user}@${target.host}`,
    ...(port !== undefined ? { port } : {}),
    ...(sshKey !== undefined ? { sshKey } : {}),
    luks,
    ...(passphrase !== undefined ? { passphrase } : {}),
    ...deploymentAfter(repo, name, { host: target.host, user: target.user!, ...(port !== undefined ? { port } : {}) }),
  };
}

/** hosts/<host>/deployment.nix with the install's target, its tags kept, as gen deploy writes it. */
function deploymentAfter(repo: RepoView, name: string, target: Target): { deployment?: string } {
  const path = deploymentPath(name);
  const existing = repo.read(path);
  let current: Deployment = { tags: [] };
  if (existing !== undefined) {
    const read = readDeployment(existing, (d) => renderDeployment(name, d));
    if (!read) fail(`${path} has been edited by hand, and writing the install's target there would lose that: set deployment.targetHost there yourself, or move it away, then run again.`);
    current = read!;
  }
  const text = renderDeployment(name, { target, tags: current.tags });
  return text === existing ? {} : { deployment: text };
}
