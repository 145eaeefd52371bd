// gen install's parameters. --dry-run and --yes are every generator's flags.
import type { GeneratorSpec } from "../../answers/spec.js";
import { listHosts } from "../../repo/facts.js";
import { hostReason, portReason, targetReason } from "./resolve.js";

/** gen install's answers as the CLI gives them (InstallAnswers adds --dry-run and --yes). */
export type InstallFlags = { name: string; target: string; port?: string; sshKey?: string; diskPassphraseFile?: string; identity?: string };

export const installSpec: GeneratorSpec<InstallFlags> = {
  name: "install",
  description:
    "Install NixOS on a machine over SSH with nixos-anywhere, ERASING the disks of hosts/<name>/disk-config.nix: a new host key (its public half committed), nixos-facter's report in hosts/<name>/facter.json, the target in deployment.nix.",
  example: "pnpm gen install web5 --target root@203.0.113.5 --disk-passphrase-file ~/web5-disk.txt",
  minimal: "pnpm gen install web5 --target root@203.0.113.5",
  params: [
    {
      name: "name",
      flag: "name",
      kind: "choice",
      positional: true,
      required: true,
      choices: (repo) => listHosts(repo),
      prompt: "Host to install",
      help: "The NixOS host (a folder in hosts/ with a disk-config.nix) to install on the machine.",
      check: (v, ctx) => hostReason(ctx.repo, v),
    },
    {
      name: "target",
      flag: "target",
      kind: "string",
      required: true,
      prompt: "Target, user@address (a machine booted into any Linux with SSH, or the NixOS installer)",
      help: "The machine to install, user@address[:port] as ssh takes it; it becomes the host's deployment target, as gen deploy writes it.",
      check: (v) => targetReason(v),
    },
    {
      name: "port",
      flag: "port",
      kind: "string",
      required: false,
      help: "The target's SSH port.",
      defaultText: "22, or the target's :port",
      check: (v) => portReason(v),
    },
    {
      name: "sshKey",
      flag: "ssh-key",
      kind: "string",
      required: false,
      help: "The private key that logs in to the target, such as ~/.ssh/id_ed25519.",
      defaultText: "ssh's own choice",
    },
    {
      name: "diskPassphraseFile",
      flag: "disk-passphrase-file",
      kind: "string",
      required: false,
      help: "A file outside the repository holding the LUKS passphrase (luks-ext4), for a run without a terminal; it is copied to the installer only.",
      defaultText: "asked twice, hidden, in a terminal",
    },
    {
      name: "identity",
      flag: "identity",
      kind: "string",
      required: false,
      help: "A private key that decrypts the host's secrets (an admin's), to re-encrypt them to the machine's new host key.",
      defaultText: "~/.ssh/id_ed25519",
    },
  ],
};
