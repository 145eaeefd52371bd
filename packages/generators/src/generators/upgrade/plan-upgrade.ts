// gen upgrade --release YY.MM: the pins move as one plan (through run.ts's
// check/lock/journal/apply), then `nix flake update` of those inputs, then
// gen fix. Offline, the update is left as one line to run later: the moved
// pins stay and the run still succeeds.
import type { Plan } from "../../write/plan.js";
import type { RepoView } from "../../repo/tree.js";
import type { NixRun } from "../fix/evaluate.js";
import { PINNED } from "../../repo/pins.js";
import { movePins } from "./pins.js";

export function planUpgrade(repo: RepoView, release: string): { plan: Plan } | { error: string } {
  const flake = repo.read("flake.nix");
  if (flake === undefined) return { error: "error: there is no flake.nix here: run gen upgrade at the root of your fork." };
  const moved = movePins(flake, release);
  if (!moved.ok) return { error: `error: ${moved.reason}` };
  const command = `nix flake update ${PINNED.join(" ")}`;
  return {
    plan: {
      title: moved.from === release ? `Upgrade to ${release} (already pinned)` : `Upgrade ${moved.from} → ${release}`,
      changes: moved.text === flake ? [] : [{ path: "flake.nix", before: flake, after: moved.text }],
      nextSteps: [
        `${command} (gen upgrade runs it, then gen fix)`,
        "nixos-rebuild build --flake .#<host> before nixos-rebuild switch; state versions stay as they are.",
      ],
    },
  };
}

/** `nix flake update` of the pinned inputs; offline, the one line saying what to run later. */
export function updateLock(root: string, run: NixRun): { ok: true } | { ok: false; line: string; error?: string } {
  let r = run(["flake", "update", ...PINNED, "--flake", root]);
  // Nix before 2.19 takes no input names there; its form is `flake lock --update-input`.
  if (r.status !== 0 && /unexpected (?:argument|fragment)|unrecognised flag '--flake'/i.test(r.stderr)) {
    r = run(["flake", "lock", root, ...PINNED.flatMap((i) => ["--update-input", i])]);
  }
  if (r.status === 0) return { ok: true };
  const command = `nix flake update ${PINNED.join(" ")}`;
  if (/unable to download|Could not resolve host|network|timed out|unable to access|HTTP error/i.test(r.stderr)) {
    return { ok: false, line: `note: could not reach the inputs (offline?): run \`${command}\` when online; the pins in flake.nix are moved already.` };
  }
  return { ok: false, line: `error: \`${command}\` failed:`, error: r.stderr.trim() };
}
