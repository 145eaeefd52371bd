// gen upgrade's parameters: the release to move to (refused before anything
// runs when it is no release, a downgrade, or the pins already disagree),
// and the inputs gen fix then evaluates with.
import type { GeneratorSpec } from "../../answers/spec.js";
import { OVERRIDE_INPUT_PARAM } from "../fix/spec.js";
import { movePins } from "./pins.js";

/** gen upgrade's answers: the release to move to, and gen fix's inputs. */
export type UpgradeAnswers = { release: string; overrideInputs?: string[] };

export const upgradeSpec: GeneratorSpec<UpgradeAnswers> = {
  name: "upgrade",
  description: "Move nixpkgs, Home Manager and nix-darwin together to the next NixOS release, update flake.lock, then run gen fix.",
  example: "pnpm gen upgrade --release 26.11 --dry-run",
  minimal: "pnpm gen upgrade --release 26.11",
  needsHost: false,
  params: [
    {
      name: "release",
      flag: "release",
      kind: "string",
      required: true,
      prompt: "Release to move to (YY.05 or YY.11)",
      help: "The NixOS release (YY.05 or YY.11) to pin nixpkgs (nixos-YY.MM), Home Manager (release-YY.MM) and nix-darwin (nix-darwin-YY.MM) to. State versions stay as they are.",
      check: (v, ctx) => {
        const flake = ctx.repo.read("flake.nix");
        if (flake === undefined) return "There is no flake.nix here: run gen upgrade at the root of your fork.";
        const moved = movePins(flake, v);
        return moved.ok ? undefined : moved.reason.charAt(0).toUpperCase() + moved.reason.slice(1);
      },
    },
    { ...OVERRIDE_INPUT_PARAM, help: `${OVERRIDE_INPUT_PARAM.help} Passed on to gen fix after the upgrade.` },
  ],
};
