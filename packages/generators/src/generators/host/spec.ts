// gen host's parameters.
import { type Reason, checkHostName, checkSystem, checkUserName } from "../../answers/rules.js";
import { isHost } from "../../repo/facts.js";
import { RELEASE, SYSTEMS, isDarwin } from "../../answers/release.js";
import type { RepoView } from "../../repo/tree.js";
import { checkHardwareConfig, checkHardwarePlatform } from "../../repo/hardware.js";
import { DARWIN_STATE_VERSION, checkDarwinStateVersion, checkStateVersion } from "../../answers/state-versions.js";
import { HOST_KEY_FILE_PARAM } from "../secret/host-key.js";
import { releaseOf } from "../../repo/pins.js";
import type { GeneratorSpec } from "../../answers/spec.js";
import type { HostAnswers } from "../../answers/rules.js";
import { TAGS_PARAM, TARGET_PARAM } from "../../answers/deploy-params.js";
import { twice } from "../../answers/spec.js";
import { DISK_DEVICE_PARAM, DISK_PARAM } from "./disk.js";

function hostNameFree(name: string, repo: RepoView): Reason {
  if (isHost(repo, name)) return `The host ${name} already exists (hosts/${name}): pick another name, or remove that folder first.`;
  if (repo.listDir("hosts").includes(name)) {
    return `The folder hosts/${name} already exists but holds no configuration.nix: pick another name, or move that folder away first.`;
  }
  return undefined;
}

export const hostSpec: GeneratorSpec<HostAnswers, "stateVersion" | "users"> = {
  name: "host",
  description:
    "Add a host: hosts/<name>/ and its line in flake.nix; a NixOS host gets a placeholder hardware config (or, with --disk, a disko layout for pnpm gen install), a Mac (a -darwin system) a nix-darwin configuration.",
  example: "pnpm gen host --name web1 --system x86_64-linux --user alice",
  minimal: "pnpm gen host web1",
  params: [
    {
      name: "name",
      flag: "name",
      kind: "string",
      positional: true,
      required: true,
      prompt: "Host name",
      help: "The host's name: lowercase letters, digits and hyphens (RFC 1123), e.g. web1.",
      check: (v, ctx) => checkHostName(v) ?? hostNameFree(v, ctx.repo),
    },
    {
      name: "system",
      flag: "system",
      kind: "choice",
      required: false,
      choices: SYSTEMS,
      choiceNotes: {
        "x86_64-linux": "NixOS on a PC",
        "aarch64-linux": "NixOS on ARM",
        "aarch64-darwin": "a Mac with Apple silicon (nix-darwin)",
        "x86_64-darwin": "an Intel Mac (nix-darwin)",
      },
      default: "x86_64-linux",
      prompt: "System",
      help: "The host's platform; a -darwin system makes a Mac, managed with nix-darwin.",
      check: (v) => checkSystem(v),
    },
    {
      name: "stateVersion",
      flag: "state-version",
      kind: "string",
      required: false,
      // The fork's release, from its pins: after gen upgrade a new host starts on it.
      default: (a, repo) => (isDarwin(a.system) ? String(DARWIN_STATE_VERSION) : repo ? releaseOf(repo, RELEASE) : RELEASE),
      defaultText: `the release flake.nix pins (${RELEASE} in the starter); ${DARWIN_STATE_VERSION} on a Mac`,
      prompt: `State version (NixOS: the release first installed, ${RELEASE} or earlier; a Mac: nix-darwin's integer, ${DARWIN_STATE_VERSION} or lower)`,
      promptFor: (a) =>
        isDarwin(a.system)
          ? `nix-darwin state version (an integer, ${DARWIN_STATE_VERSION} for a new Mac)`
          : `NixOS state version (the release first installed, ${RELEASE} or earlier)`,
      help: `system.stateVersion: the NixOS release the host was first installed with (a release up to ${RELEASE}); on a Mac, nix-darwin's integer (1 to ${DARWIN_STATE_VERSION}). Its users' homes keep their own home.stateVersion.`,
      check: (v, ctx) => (isDarwin(ctx.answers.system) ? checkDarwinStateVersion(v, releaseOf(ctx.repo, RELEASE)) : checkStateVersion(v, releaseOf(ctx.repo, RELEASE))),
    },
    {
      name: "users",
      flag: "user",
      kind: "list",
      commaSeparated: true,
      required: false,
      default: "",
      prompt: "Users to add now (comma-separated, empty for none)",
      help: "A user to add right away with gen user's defaults (shared pattern, bash (zsh on a Mac), admin); repeat for more.",
      check: (v) => checkUserName(v),
      checkList: (users) => {
        const dup = twice(users);
        return dup ? `The user ${dup} is listed twice: give each --user once.` : undefined;
      },
    },
    {
      name: "hardwareConfig",
      flag: "hardware-config",
      kind: "string",
      required: false,
      help: "The machine's `nixos-generate-config --show-hardware-config` output (a file), written as hosts/<name>/hardware-configuration.nix instead of the placeholder.",
      defaultText: "a placeholder",
      check: (v, ctx) => checkHardwareConfig(v, ctx.readFile(v)) ?? checkHardwarePlatform(v, ctx.readFile(v), ctx.answers.system),
    },
    DISK_PARAM,
    DISK_DEVICE_PARAM,
    TARGET_PARAM,
    TAGS_PARAM,
    HOST_KEY_FILE_PARAM,
  ],
};
