// Vitest global setup for the suites that run Nix: when nix-instantiate is on
// PATH but cannot run for this user (a multi-user Nix without its daemon, a
// store it may not write), one message says so before any test, instead of
// every Nix test failing with the same line. Without Nix on PATH, the tests
// that need it skip themselves, as before.
import { spawnSync } from "node:child_process";
import { userInfo } from "node:os";
import type { TestProject } from "vitest/node";
import { nixAvailable } from "./src/nix-bin.js";

const NIX_PROJECTS = ["nix", "process"];

/** Why Nix cannot run here, or undefined when it can (or is not on PATH). */
export function nixBroken(
  run: (args: string[]) => { status: number | null; stderr: string } = (args) => spawnSync("nix-instantiate", args, { encoding: "utf8" }),
  onPath = nixAvailable(),
): string | undefined {
  if (!onPath) return undefined;
  const { status, stderr } = run(["--parse", "--expr", "1"]);
  if (status === 0) return undefined;
  const detail = stderr.split("\n").find((l) => l.startsWith("error:"))?.replace(/^error:\s*/, "") ?? `exit ${status}`;
  return `Nix cannot run as ${userInfo().username} here (nix-instantiate --parse --expr 1: ${detail}), and the tests need it: with a multi-user Nix, have nix-daemon running and set NIX_REMOTE=daemon (on Debian: sudo apt-get install nix-setup-systemd, which runs it, then join the nix-users group); with a single-user Nix, run them as the user who owns /nix.`;
}

/** Vitest runs this once per project (and once with none): only the projects that run Nix check it, so `--project unit` stays the loop that needs no Nix. */
export default function setup(project?: Pick<TestProject, "name">): void {
  if (project === undefined || !NIX_PROJECTS.includes(project.name)) return;
  const why = nixBroken();
  if (why === undefined) return;
  const error = new Error(why);
  error.stack = why; // the sentence is the whole story
  throw error;
}
