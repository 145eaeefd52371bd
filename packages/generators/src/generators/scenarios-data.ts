// The scenario catalogue: sample runs of the generators on the frozen starter.
// One list serves the snapshot tests (each scenario's files are pinned) and
// the docs (each scenario is shown with its command and what it writes), so
// the guide shows exactly what the tests review. Planning them is scenarios.ts.
import type { DeployAnswers, HostAnswers, UserAnswers } from "../answers/rules.js";
import type { RemoveHostAnswers, RemoveUserAnswers } from "./remove/plan.js";
import { sampleHardwareConfig } from "../repo/starter.js";
import type { SecretAnswers } from "./secret/answers.js";

/** One `pnpm gen` run, with the files outside the repository it reads (--hardware-config), by path. */
export type Step = (
  | { generator: "host"; answers: HostAnswers }
  | { generator: "user"; answers: UserAnswers }
  | { generator: "deploy"; answers: DeployAnswers }
  | { generator: "remove-host"; answers: RemoveHostAnswers }
  | { generator: "remove-user"; answers: RemoveUserAnswers }
  // `value`: what the reader pipes in. The .age file it gives is random each run, so it is never shown.
  | { generator: "secret"; answers: SecretAnswers; value: string }
) & { files?: Record<string, string> };

export interface Scenario {
  id: string;
  /** Runs made before the scenario, on the starter: the repository the reader already has. */
  given: Step[];
  /** The runs whose combined changes are the scenario's plan. */
  steps: Step[];
}

export interface Refusal {
  /** What the reader already ran. */
  given: Step[];
  /** The run the generator refuses. */
  step: Step;
}

const host = (answers: HostAnswers): Step => ({ generator: "host", answers });
const user = (answers: UserAnswers): Step => ({ generator: "user", answers });
const removeHost = (answers: RemoveHostAnswers): Step => ({ generator: "remove-host", answers });
const removeUser = (answers: RemoveUserAnswers): Step => ({ generator: "remove-user", answers });
const deploy = (answers: DeployAnswers): Step => ({ generator: "deploy", answers });

/** The reader's hw.nix: what `nixos-generate-config --show-hardware-config` printed on the machine. */
const withHardware = (answers: HostAnswers, files: Record<string, string>): Step => ({ generator: "host", answers, files });

/** Sample public keys for the secrets examples (their private halves were thrown away at once). */
const SAMPLE_KEY_FILES: Record<string, string> = {
  "admin.pub": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGxxb+mnxOuhTbXLcTipQLLuhEuZiU5UhFigblhPjWBy admin@example\n",
  "web1.pub": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINaOst4RO2IWbnZYQPoBWD/cRWnwZLL7HkC8pH+/yfC4 root@web1\n",
};

/** web1 with its host key, as the secrets examples start. */
const SAMPLE_KEYED_HOST: Step = { generator: "host", answers: { name: "web1", system: "x86_64-linux", hostKeyFile: "web1.pub" }, files: SAMPLE_KEY_FILES };

const secret = (answers: SecretAnswers, value: string): Step => ({ generator: "secret", answers, value, files: SAMPLE_KEY_FILES });

/** The host the guide's user examples add their users to. */
export const SAMPLE_HOST = host({ name: "web1", system: "x86_64-linux" });

/** The host the install page installs: gen host web5 --disk luks-ext4 --disk-device /dev/nvme0n1. */
export const SAMPLE_DISK_HOST = host({ name: "web5", system: "x86_64-linux", disk: "luks-ext4", diskDevices: ["/dev/nvme0n1"] });

/** The Mac the guide's Mac examples add their users to. */
const SAMPLE_MAC = host({ name: "mac1", system: "aarch64-darwin" });

export const SCENARIOS: Scenario[] = [
  { id: "host-web1", given: [], steps: [SAMPLE_HOST] },
  {
    id: "host-with-users",
    given: [],
    steps: [host({ name: "pi", system: "aarch64-linux", stateVersion: "25.11", users: ["bob", "carol"] })],
  },
  {
    id: "user-separate",
    given: [SAMPLE_HOST],
    steps: [user({ name: "bob", hosts: ["web1"], fullName: "Bob Builder", email: "bob@example.com", pattern: "separate", shell: "bash" })],
  },
  {
    id: "user-shared",
    given: [SAMPLE_HOST],
    steps: [user({ name: "carol", hosts: ["web1"], fullName: "Carol Shaw", email: "carol@example.com", pattern: "shared", shell: "fish" })],
  },
  // alice already has a standalone home in nix/alice/home.nix: the migration
  // from standalone to integrated.
  {
    id: "user-reuse",
    given: [SAMPLE_HOST],
    steps: [user({ name: "alice", hosts: ["web1"], fullName: "Alice Liddell", pattern: "reuse", shell: "zsh" })],
  },
  // dave has none yet: reuse creates it first, with its homeConfigurations entry.
  {
    id: "user-reuse-new",
    given: [SAMPLE_HOST],
    steps: [user({ name: "dave", hosts: ["web1"], fullName: "Dave Rossi", email: "dave@example.com", pattern: "reuse", shell: "zsh" })],
  },
  {
    id: "user-reuse-from",
    given: [],
    steps: [user({ name: "al", hosts: ["example"], pattern: "reuse", from: "nix/alice/home.nix" })],
  },
  {
    id: "user-standalone",
    given: [SAMPLE_HOST],
    steps: [user({ name: "erin", hosts: ["web1"], fullName: "Erin Hale", pattern: "shared", standalone: true })],
  },
  // A user who logs in with an SSH key and may not use sudo.
  {
    id: "user-ssh-key",
    given: [SAMPLE_HOST],
    steps: [
      user({
        name: "dan",
        hosts: ["web1"],
        fullName: "Dan Ortiz",
        admin: false,
        sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl dan@laptop"],
      }),
    ],
  },
  {
    id: "user-multi-host",
    given: [],
    steps: [
      host({ name: "web1", system: "aarch64-linux" }),
      user({ name: "erin", hosts: ["example", "web1"], fullName: "Erin", email: "erin@example.com", pattern: "separate", standalone: true }),
    ],
  },
  {
    id: "user-same-name-other-host",
    given: [],
    steps: [
      host({ name: "work", system: "x86_64-linux" }),
      user({ name: "alice", hosts: ["work"], fullName: "Alice Liddell", email: "alice@work.example", pattern: "separate", shell: "bash" }),
    ],
  },
  // Macs: a nix-darwin host with a user, then each pattern on it.
  {
    id: "host-mac",
    given: [],
    steps: [host({ name: "mac1", system: "aarch64-darwin", users: ["alice"] })],
  },
  {
    id: "mac-user-separate",
    given: [SAMPLE_MAC],
    steps: [user({ name: "bob", hosts: ["mac1"], fullName: "Bob Builder", email: "bob@example.com", pattern: "separate" })],
  },
  {
    id: "mac-user-shared",
    given: [SAMPLE_MAC],
    steps: [user({ name: "carol", hosts: ["mac1"], fullName: "Carol Shaw", email: "carol@example.com", pattern: "shared", shell: "fish" })],
  },
  {
    id: "mac-user-reuse",
    given: [SAMPLE_MAC],
    steps: [user({ name: "alice", hosts: ["mac1"], fullName: "Alice Liddell", pattern: "reuse" })],
  },
  // The same user on a Mac and a NixOS host, each also standalone: /Users and /home.
  {
    id: "mac-and-linux-user",
    given: [],
    steps: [
      host({ name: "mac1", system: "aarch64-darwin", users: ["alice"] }),
      user({ name: "zoe", hosts: ["mac1", "example"], pattern: "separate", standalone: true }),
      host({ name: "mac2", system: "x86_64-darwin" }),
    ],
  },
  // Addresses come from the documentation ranges (RFC 5737, RFC 3849): nothing connects.
  {
    id: "host-deployed",
    given: [],
    steps: [host({ name: "web2", system: "x86_64-linux", users: ["ann"], targetHost: "deploy@198.51.100.2", tags: ["web", "eu"] })],
  },
  {
    id: "host-hardware",
    given: [],
    steps: [withHardware({ name: "web3", system: "x86_64-linux", hardwareConfig: "hw.nix" }, { "hw.nix": sampleHardwareConfig() })],
  },
  { id: "deploy-example", given: [], steps: [deploy({ name: "example", targetHost: "root@192.0.2.7", tags: ["lab"] })] },
  // Secrets: the first one (with the admin's key), then one with an owner and a mode.
  { id: "secret-wifi", given: [SAMPLE_KEYED_HOST], steps: [secret({ name: "wifi", hosts: ["web1"], adminKeyFile: "admin.pub" }, "sample-wifi-password")] },
  {
    id: "secret-owner",
    given: [SAMPLE_KEYED_HOST, secret({ name: "wifi", hosts: ["web1"], adminKeyFile: "admin.pub" }, "sample-wifi-password")],
    steps: [secret({ name: "grafana-admin", hosts: ["web1"], owner: "grafana", mode: "0440" }, "sample-token")],
  },
  // The install page: the layout gen install partitions, then one scenario per other layout (its tabs).
  { id: "host-disk", given: [], steps: [SAMPLE_DISK_HOST] },
  { id: "host-disk-ext4", given: [], steps: [host({ name: "web5", system: "x86_64-linux", disk: "ext4", diskDevices: ["/dev/nvme0n1"] })] },
  { id: "host-disk-btrfs", given: [], steps: [host({ name: "web5", system: "x86_64-linux", disk: "btrfs", diskDevices: ["/dev/nvme0n1"] })] },
  {
    id: "host-disk-zfs-mirror",
    given: [],
    steps: [host({ name: "web5", system: "x86_64-linux", disk: "zfs-mirror", diskDevices: ["/dev/disk/by-id/nvme-A", "/dev/disk/by-id/nvme-B"] })],
  },
];

/** The install page's gen install --dry-run: on the repository after SAMPLE_DISK_HOST. */
export const SAMPLE_INSTALL = { name: "web5", target: "root@203.0.113.5" } as const;

/** Runs the generators refuse, each with the one sentence they print (the docs show them). */
export const REFUSALS: Refusal[] = [
  { given: [], step: host({ name: "example", system: "x86_64-linux" }) },
  { given: [], step: host({ name: "Web1", system: "x86_64-linux" }) },
  // A value the CLI passes through from a flag, which the types rule out.
  { given: [], step: host({ name: "web2", system: "riscv64-linux" as HostAnswers["system"] }) },
  { given: [], step: host({ name: "web2", system: "x86_64-linux", stateVersion: "26" }) },
  { given: [], step: host({ name: "mac2", system: "aarch64-darwin", stateVersion: "26.05" }) },
  { given: [SAMPLE_HOST], step: user({ name: "alice", hosts: ["nosuchhost"] }) },
  { given: [SAMPLE_HOST], step: user({ name: "alice", hosts: ["example"] }) },
  { given: [SAMPLE_HOST], step: user({ name: "root", hosts: ["web1"] }) },
  { given: [SAMPLE_HOST], step: user({ name: "bob", hosts: ["web1"], fullName: "Bob: admin" }) },
  { given: [SAMPLE_HOST], step: user({ name: "bob", hosts: ["web1"], from: "nix/alice/home.nix" }) },
  { given: [SAMPLE_HOST], step: user({ name: "bob", hosts: ["web1"], pattern: "reuse", from: "nix/bob/work.nix" }) },
  { given: [SAMPLE_HOST], step: removeHost({ name: "web2" }) },
  { given: [SAMPLE_HOST], step: removeUser({ name: "bob", hosts: [] }) },
  { given: [SAMPLE_HOST], step: removeUser({ name: "alice", hosts: ["web1"] }) },
  { given: [], step: withHardware({ name: "web3", system: "x86_64-linux", hardwareConfig: "hw.nix" }, {}) },
  { given: [], step: withHardware({ name: "web3", system: "x86_64-linux", hardwareConfig: "hw.nix" }, { "hw.nix": "{ fileSystems.\"/\".device = \"/dev/sda1\" }\n" }) },
  { given: [], step: host({ name: "web2", system: "x86_64-linux", targetHost: "-oProxyCommand=touch /tmp/owned" }) },
  { given: [], step: host({ name: "web2", system: "x86_64-linux", targetHost: "a b" }) },
  { given: [], step: host({ name: "web2", system: "x86_64-linux", targetHost: "root@" }) },
  { given: [], step: host({ name: "web2", system: "x86_64-linux", targetHost: "198.51.100.2:70000" }) },
  { given: [], step: host({ name: "web2", system: "x86_64-linux", tags: ["web,eu"] }) },
  { given: [], step: deploy({ name: "web9", targetHost: "root@192.0.2.9" }) },
  { given: [], step: deploy({ name: "example" }) },
  { given: [], step: host({ name: "web5", system: "x86_64-linux", disk: "xfs" }) },
  { given: [], step: host({ name: "web5", system: "x86_64-linux", disk: "ext4", diskDevices: ["nvme0n1"] }) },
  { given: [], step: host({ name: "nas1", system: "x86_64-linux", disk: "zfs-mirror", diskDevices: ["/dev/sda"] }) },
];
