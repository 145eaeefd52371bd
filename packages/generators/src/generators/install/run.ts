// gen install <host> --target user@address: checks, confirms, makes the host
// key and passphrase file in private temp folders, writes the key's public
// half and the deployment target through the plan/apply pipeline, runs
// nixos-anywhere, and undoes those writes if it fails. The temp folders go
// whatever happens (success, failure, a killed nixos-anywhere, Ctrl-C).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { applyPlan, checkPlan, formatPlan } from "../../write/apply.js";
import { deploymentPath, targetText } from "../../answers/deploy-target.js";
import { unifiedDiff } from "../../report/diff.js";
import { GenError } from "../../report/errors.js";
import { lockRepo } from "../../write/lock.js";
import { colmenaApply } from "../deploy/plan.js";
import type { Plan } from "../../write/plan.js";
import { type FileChange, type RepoView, Tree, fsRepo } from "../../repo/tree.js";
import { settleRepo } from "../../cli/run.js";
import { facterPath, nixosAnywhereArgs, nixosAnywhereCommand, shellLine } from "./nixos-anywhere.js";
import type { Terminal } from "../../cli/terminal.js";
import { askPassphrase, confirmHostName } from "./prompt.js";
import { type InstallAnswers, type ResolvedInstall, resolveInstall } from "./resolve.js";
import { HOST_KEY, PrivateDirs, makeHostKey, writePassphrase } from "./secrets-dir.js";

const hostKeyPubPath = (host: string) => `hosts/${host}/ssh_host_ed25519_key.pub`;

export interface InstallIo {
  root: string;
  /** What relative paths (--ssh-key, --disk-passphrase-file) are read from; default the process's. */
  cwd?: string;
  /** PATH and the rest, for finding and running nixos-anywhere; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Present when gen runs in a terminal: confirmation and the passphrase are asked there. */
  terminal?: Terminal;
  /** nixos-anywhere's own output: the terminal's (default), or dropped. */
  childStdio?: "inherit" | "ignore";
  note?: (text: string) => void;
  /**
   * The secrets' re-key (the secrets generator's): re-encrypts the host's
   * secrets in `tree` to the new public key before the install, so the
   * machine decrypts them on its first boot.
   */
  rekey?: (tree: Tree, host: string, publicKey: string) => void;
}

const fail = (message: string): never => {
  throw new GenError(message);
};

/** Runs gen install; returns the report to print, or throws a GenError (one line, tree unchanged). */
export async function runInstall(answers: InstallAnswers, io: InstallIo): Promise<string> {
  const { root } = io;
  const cwd = io.cwd ?? process.cwd();
  const env = io.env ?? process.env;
  // A dry run writes nothing, not even an interrupted run's undo.
  if (!answers.dryRun) await settleRepo(root, io.note);
  const lock = answers.dryRun ? undefined : await lockRepo(root, { command: `gen install ${answers.name}` });
  try {
    const repo = fsRepo(root);
    const r = resolveInstall(repo, root, answers, cwd);
    if (!answers.dryRun && r.luks && r.passphrase === undefined && !io.terminal) {
      fail(`${r.name}'s disk is encrypted and there is no terminal to ask its passphrase in: give it with --disk-passphrase-file F (a file outside the repository).`);
    }
    if (!answers.dryRun && !answers.yes && !io.terminal) {
      fail(`gen install erases ${r.name}'s disks at ${r.sshTarget}: run it in a terminal to confirm by typing the host's name, or add --yes.`);
    }
    if (answers.dryRun) return dryRunReport(repo, r, previewCommand(r, env), planFor(repo, r, undefined, io));

    if (!answers.yes && !(await confirmHostName(io.terminal!, r.name, `This erases the disks in ${r.name}'s disk-config.nix on ${r.sshTarget} and installs NixOS there.`))) {
      return "Nothing done: the name typed was not the host's.";
    }
    const passphrase = r.luks ? (r.passphrase ?? (await askPassphrase(io.terminal!, r.name)) ?? fail("The passphrases did not match three times: nothing done, run again.")) : undefined;
    return await install(r, passphrase, io, env);
  } finally {
    lock?.release();
  }
}

/** The command with stand-ins for the private paths, for a dry run. */
function previewCommand(r: ResolvedInstall, env: NodeJS.ProcessEnv) {
  return nixosAnywhereCommand(argsFor(r, "<private temp folder>", r.luks ? "<private passphrase file>" : undefined), env.PATH);
}

/**
 * What `gen install <host> --dry-run` prints, from a repository view alone
 * (the docs show it): nixos-anywhere as the dev shell has it on PATH.
 */
export function installDryRun(repo: RepoView, answers: Omit<InstallAnswers, "dryRun" | "diskPassphraseFile" | "sshKey">): string {
  const r = resolveInstall(repo, "/", { ...answers, dryRun: true }, "/");
  const argv = argsFor(r, "<private temp folder>", r.luks ? "<private passphrase file>" : undefined);
  return dryRunReport(repo, r, { program: "nixos-anywhere", argv }, planFor(repo, r, undefined, {}));
}

function commandFor(r: ResolvedInstall, extraFiles: string, passphraseFile: string | undefined, env: NodeJS.ProcessEnv) {
  return nixosAnywhereCommand(argsFor(r, extraFiles, passphraseFile), env.PATH);
}

function argsFor(r: ResolvedInstall, extraFiles: string, passphraseFile: string | undefined): string[] {
  return nixosAnywhereArgs({
    host: r.name,
    target: r.sshTarget,
    ...(r.port !== undefined ? { port: r.port } : {}),
    ...(r.sshKey !== undefined ? { sshKey: r.sshKey } : {}),
    extraFiles,
    ...(passphraseFile !== undefined ? { passphraseFile } : {}),
  });
}

/** The repository writes: the key's public half, the target, the secrets re-keyed (`publicKey` undefined: a dry run's stand-in). */
function planFor(repo: RepoView, r: ResolvedInstall, publicKey: string | undefined, io: Pick<InstallIo, "rekey">): Plan {
  const tree = new Tree(repo);
  tree.write(hostKeyPubPath(r.name), publicKey ?? "ssh-ed25519 <made by ssh-keygen at install> root@" + r.name + "\n");
  if (r.deployment !== undefined) tree.write(deploymentPath(r.name), r.deployment);
  if (publicKey !== undefined) io.rekey?.(tree, r.name, publicKey);
  return { title: `Install NixOS on ${r.name} at ${r.sshTarget}`, changes: tree.changes(), nextSteps: nextSteps(r) };
}

function dryRunReport(repo: RepoView, r: ResolvedInstall, command: { program: string; argv: string[] }, plan: Plan): string {
  const facter = repo.read(facterPath(r.name)) !== undefined ? "UPDATE" : "CREATE";
  return [
    `Dry run: ${plan.title} (nothing run, nothing written)`,
    `  Would run: ${shellLine(command.program, command.argv)}`,
    `  The private temp folder would hold ${HOST_KEY} (0600), a new ed25519 key made for ${r.name}${r.luks ? "; the passphrase file, the disk's passphrase (0600)" : ""}. Both are removed afterwards.`,
    formatPlan(plan, false),
    `  ${facter} ${facterPath(r.name)} (nixos-anywhere writes nixos-facter's report of the machine)`,
    ...plan.changes.filter((c) => c.path !== hostKeyPubPath(r.name)).map((c) => "\n" + unifiedDiff(c.path, c.before, c.after)),
  ].join("\n");
}

async function install(r: ResolvedInstall, passphrase: string | undefined, io: InstallIo, env: NodeJS.ProcessEnv): Promise<string> {
  const { root } = io;
  const dirs = new PrivateDirs(root);
  // Last resort, should something call process.exit while the install runs.
  const onExit = () => dirs.removeAll();
  process.on("exit", onExit);
  const stopper = new Stopper();
  try {
    const key = makeHostKey(dirs, r.name);
    const passFile = passphrase !== undefined ? writePassphrase(dirs, passphrase) : undefined;
    const plan = planFor(fsRepo(root), r, key.publicKey, io);
    checkPlan(plan, root);
    const facter = snapshot(root, facterPath(r.name));
    applyPlan(plan, root);
    const command = commandFor(r, key.dir, passFile, env);
    const result = await runChild(command.program, command.argv, root, env, io.childStdio ?? "inherit", stopper);
    if (result.ok) return successReport(r, plan, facter.bytes === undefined ? "CREATE" : "UPDATE");
    undo(root, plan.changes, facter);
    const why = result.interrupted
      ? `was stopped (${result.interrupted})`
      : result.error
        ? `could not start (${result.error})`
        : result.signal
          ? `was killed (${result.signal})`
          : `failed (exit ${result.code})`;
    return fail(`nixos-anywhere ${why}, so the repository is as it was before the run: see its output above, fix the cause, and run gen install ${r.name} again (it partitions the disks afresh).`);
  } finally {
    stopper.release();
    dirs.removeAll();
    process.removeListener("exit", onExit);
  }
}

interface ChildResult {
  ok: boolean;
  code: number | null;
  signal: NodeJS.Signals | null;
  interrupted?: NodeJS.Signals;
  error?: string;
}

const STOP_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * Ctrl-C (or SIGTERM, SIGHUP) while installing: stops nixos-anywhere and lets
 * the cleanup run, instead of Node's default of dying on the spot. On from
 * the first temp folder, so no signal can leave one behind.
 */
class Stopper {
  signal: NodeJS.Signals | undefined;
  private child: ChildProcess | undefined;
  private hard: NodeJS.Timeout | undefined;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.signal ??= signal;
    this.stopChild();
  };

  constructor() {
    for (const s of STOP_SIGNALS) process.on(s, this.onSignal);
  }

  watch(child: ChildProcess): void {
    this.child = child;
    if (this.signal) this.stopChild();
  }

  private stopChild(): void {
    if (!this.child) return;
    this.child.kill("SIGTERM");
    // nixos-anywhere traps SIGTERM to clean up; one that hangs is killed.
    this.hard ??= setTimeout(() => this.child?.kill("SIGKILL"), 10_000);
  }

  release(): void {
    for (const s of STOP_SIGNALS) process.removeListener(s, this.onSignal);
    if (this.hard) clearTimeout(this.hard);
  }
}

function runChild(program: string, argv: string[], cwd: string, env: NodeJS.ProcessEnv, stdio: "inherit" | "ignore", stopper: Stopper): Promise<ChildResult> {
  return new Promise((done) => {
    const child = spawn(program, argv, { cwd, env, stdio });
    stopper.watch(child);
    const finish = (result: ChildResult) => done(stopper.signal ? { ...result, ok: false, interrupted: stopper.signal } : result);
    child.on("error", (error) => finish({ ok: false, code: null, signal: null, error: error.message }));
    child.on("close", (code, signal) => finish({ ok: code === 0, code, signal }));
  });
}

interface Snapshot {
  path: string;
  bytes: Buffer | undefined;
  tracked: boolean;
}

/** facter.json before the run, and whether git tracked it (nixos-anywhere `git add --intent-to-add`s it). */
function snapshot(root: string, path: string): Snapshot {
  const abs = join(root, path);
  const bytes = existsSync(abs) ? readFileSync(abs) : undefined;
  const git = spawnSync("git", ["ls-files", "--error-unmatch", "--", path], { cwd: root, stdio: "ignore" });
  return { path, bytes, tracked: git.status === 0 };
}

/** Puts back what the run changed: the plan's files through the same journaled apply, then facter.json. */
function undo(root: string, changes: FileChange[], facter: Snapshot): void {
  applyPlan({ title: "Undo a failed install", changes: changes.map((c) => ({ path: c.path, before: c.after, after: c.before })), nextSteps: [] }, root);
  const abs = join(root, facter.path);
  if (facter.bytes !== undefined) writeFileSync(abs, facter.bytes);
  else rmSync(abs, { force: true });
  if (!facter.tracked) spawnSync("git", ["rm", "--cached", "--quiet", "--ignore-unmatch", "--", facter.path], { cwd: root, stdio: "ignore" });
}

function nextSteps(r: ResolvedInstall): string[] {
  const files = [facterPath(r.name), hostKeyPubPath(r.name), ...(r.deployment !== undefined ? [deploymentPath(r.name)] : [])];
  const target = { host: r.target.host, user: r.target.user, ...(r.port !== undefined ? { port: r.port } : {}) };
  const sshOpts = r.port !== undefined ? `NIX_SSHOPTS="-p ${r.port}" ` : "";
  return [
    `Commit what the install wrote (flakes only read files git tracks): git add ${files.join(" ")} && git commit -m "${r.name}: installed"`,
    `${r.name} has its new SSH host key now: if ssh warns that the host key changed, forget the old one with ssh-keygen -R ${r.target.host}`,
    ...(r.luks ? [`${r.name} asks for its disk's passphrase at every boot, on its console: keep the passphrase somewhere safe, it is stored nowhere else.`] : []),
    `Later changes, with Colmena (to ${targetText(target)}): ${colmenaApply(r.name)}`,
    `Or with nixos-rebuild: ${sshOpts}nixos-rebuild switch --flake .#${r.name} --target-host ${r.sshTarget}${r.target.user === "root" ? "" : " --sudo"}`,
  ];
}

function successReport(r: ResolvedInstall, plan: Plan, facter: "CREATE" | "UPDATE"): string {
  return [
    `✔ ${plan.title}`,
    formatPlan(plan, false),
    `  ${facter} ${facterPath(r.name)} (written by nixos-anywhere)`,
    "",
    ["Next steps:", ...plan.nextSteps.map((s, i) => `  ${i + 1}. ${s}`)].join("\n"),
  ].join("\n");
}
