// gen host --disk <layout> [--disk-device /dev/…]: the host's disko layout
// (hosts/<h>/disk-config.nix) and, in place of the placeholder hardware
// config, one that sets no fileSystems (disko owns them) and reads
// nixos-facter's report once `gen install` has written it.
import { createHash } from "node:crypto";
// The subpath, not the index: gen host loads no fork check.
import { DISK_PLACEHOLDER_PREFIX } from "@starter/nix-check/disk-placeholder";
import type { Reason } from "../../answers/rules.js";
import type { Param } from "../../answers/spec.js";
import { GenError } from "../../report/errors.js";
import { isDarwin } from "../../answers/release.js";
import type { Tree } from "../../repo/tree.js";
import { render } from "../templates.js";
import { trackStep } from "./steps.js";

export const DISK_LAYOUTS = ["ext4", "luks-ext4", "btrfs", "zfs-mirror"] as const;
export type DiskLayout = (typeof DISK_LAYOUTS)[number];

/** What each layout is, for --help and the docs' flag table. */
const DISK_LAYOUT_HELP: Record<DiskLayout, string> = {
  ext4: "an EFI partition (/boot) and ext4 for /",
  "luks-ext4": "the same, with / in LUKS: the passphrase is asked at boot, never stored",
  btrfs: "an EFI partition and btrfs subvolumes for /, /home and /nix",
  "zfs-mirror": "a ZFS pool mirrored across two disks, each given with --disk-device",
};

/**
 * The device a layout names until the owner gives the real one. Recognisable
 * on purpose: the fork check warns about it and `gen install` refuses it.
 */
const PLACEHOLDER_PREFIX = DISK_PLACEHOLDER_PREFIX;
export const PLACEHOLDER_DEVICES = [`${PLACEHOLDER_PREFIX}YOUR-DISK`, `${PLACEHOLDER_PREFIX}YOUR-SECOND-DISK`] as const;

export const diskConfigPath = (host: string) => `hosts/${host}/disk-config.nix`;
const hardwarePath = (host: string) => `hosts/${host}/hardware-configuration.nix`;

/** How many disks each layout takes. */
const devicesFor = (layout: DiskLayout) => (layout === "zfs-mirror" ? 2 : 1);

export function checkDiskLayout(layout: string): Reason {
  if ((DISK_LAYOUTS as readonly string[]).includes(layout)) return undefined;
  return `The disk layout ${JSON.stringify(layout)} is not one the generator knows: use one of ${DISK_LAYOUTS.join(", ")}.`;
}

// Characters udev uses in /dev names (by-id names hold ":", "-", "_", ".", "+", "@").
const DEVICE = /^\/dev\/(?:[A-Za-z0-9._:+@-]+\/)*[A-Za-z0-9._:+@-]+$/;

/** A --disk-device: an absolute /dev/ path to a whole disk, in nothing but plain characters. */
export function checkDiskDevice(device: string): Reason {
  const shown = JSON.stringify(device);
  const how = "give the whole disk as an absolute /dev/ path, such as /dev/nvme0n1 or /dev/disk/by-id/nvme-Samsung_SSD_980_1TB_S64ANS0T123456 (`ls -l /dev/disk/by-id` on the machine lists them)";
  if (!DEVICE.test(device) || device.split("/").some((part) => part === "." || part === "..")) {
    return `The disk device ${shown} is not an absolute /dev/ path: ${how}.`;
  }
  if (device.startsWith(PLACEHOLDER_PREFIX)) return `The disk device ${shown} is the layout's placeholder: ${how}.`;
  return undefined;
}

/** The reason the devices given do not fit `layout` (how many, and two different ones for a mirror). */
function checkDiskDevices(layout: DiskLayout, given: readonly string[]): Reason {
  const want = devicesFor(layout);
  if (given.length === 0) return undefined;
  if (given.length !== want) {
    return want === 2
      ? `The ${layout} layout mirrors two disks: give --disk-device twice (one for each disk), or leave both out to fill them in later.`
      : `The ${layout} layout uses one disk: give --disk-device once.`;
  }
  if (new Set(given).size !== given.length) return `The two --disk-device values are the same disk (${given[0]}): a mirror needs two different disks.`;
  return undefined;
}

/** The reason --disk does not go with the rest of gen host's answers (a Mac, --hardware-config). */
function checkDiskFor(name: string, system: unknown, hardwareConfig: unknown): Reason {
  if (isDarwin(system)) return `--disk is for NixOS hosts (disko and nixos-anywhere do not install macOS): drop it for ${name}, or give a Linux --system.`;
  if (hardwareConfig !== undefined && hardwareConfig !== "") {
    return `--disk and --hardware-config do not go together: disko sets the file systems a nixos-generate-config file also sets. Drop --hardware-config (gen install writes hosts/${name}/facter.json instead), or drop --disk for a machine installed some other way.`;
  }
  return undefined;
}

/** The devices for `layout`: the ones given, checked, else the placeholders. */
function diskDevices(layout: DiskLayout, given: readonly string[] = []): string[] {
  const reason = given.map(checkDiskDevice).find(Boolean) ?? checkDiskDevices(layout, given);
  if (reason) throw new GenError(reason);
  return given.length === 0 ? PLACEHOLDER_DEVICES.slice(0, devicesFor(layout)) : [...given];
}

/**
 * networking.hostId for ZFS: 8 hex digits, derived from the host name so
 * that regenerating gives the same value and two hosts get different ones.
 */
export function zfsHostId(hostName: string): string {
  return createHash("sha256").update(hostName).digest("hex").slice(0, 8);
}

export function renderDiskConfig(hostName: string, layout: DiskLayout, devices: readonly string[]): string {
  const [first, second] = devices;
  if (layout === "zfs-mirror") return render("host/disk/zfs-mirror.nix.hbs", { hostName, first, second, hostId: zfsHostId(hostName) });
  return render(`host/disk/${layout}.nix.hbs`, { hostName, device: first });
}

function renderDiskHardware(hostName: string, system: string): string {
  return render("host/disk/hardware.nix.hbs", { hostName, system });
}

export interface DiskAnswers {
  name: string;
  system: string;
  layout: string;
  devices?: string[];
  /** --hardware-config was given too. */
  hardwareConfig?: string;
}

/**
 * Plans a new host's disko files into `tree`, after gen host has planned the
 * host itself (its placeholder hardware config is replaced here), and returns
 * the next steps that replace gen host's "replace the placeholder" one.
 */
export function addDiskToTree(tree: Tree, answers: DiskAnswers, track: readonly string[] = [`hosts/${answers.name}`, "flake.nix"]): string[] {
  const { name, system } = answers;
  const reason = checkDiskLayout(answers.layout) ?? checkDiskFor(name, system, answers.hardwareConfig);
  if (reason) throw new GenError(reason);
  const layout = answers.layout as DiskLayout;
  const devices = diskDevices(layout, answers.devices);
  tree.write(diskConfigPath(name), renderDiskConfig(name, layout, devices));
  tree.write(hardwarePath(name), renderDiskHardware(name, system));
  const steps: string[] = [];
  if (devices.some((d) => d.startsWith(PLACEHOLDER_PREFIX))) {
    steps.push(`Put the target's disk in ${diskConfigPath(name)} in place of ${PLACEHOLDER_PREFIX}… (\`ls -l /dev/disk/by-id\` on the machine lists them).`);
  }
  // nixos-anywhere builds the host from the flake, which reads tracked files only.
  steps.push(trackStep(track));
  steps.push(`Install it over SSH (this ERASES ${devices.length === 2 ? "both disks" : "the disk"}): pnpm gen install ${name} --target root@<address>`);
  return steps;
}

/** gen host's --disk. */
export const DISK_PARAM: Param = {
  name: "disk",
  flag: "disk",
  kind: "choice",
  required: false,
  choices: DISK_LAYOUTS,
  choiceNotes: DISK_LAYOUT_HELP,
  help: `A disko layout, written as hosts/<name>/disk-config.nix for pnpm gen install to partition: ${DISK_LAYOUTS.map((l) => `${l}, ${DISK_LAYOUT_HELP[l]}`).join("; ")}.`,
  defaultText: "none, a placeholder hardware config",
  check: (v, ctx) => checkDiskLayout(v) ?? checkDiskFor(String(ctx.answers.name ?? "the host"), ctx.answers.system, ctx.answers.hardwareConfig),
};

/** gen host's --disk-device, once per disk of the layout. */
export const DISK_DEVICE_PARAM: Param = {
  name: "diskDevices",
  flag: "disk-device",
  kind: "list",
  // A device path holds no comma worth splitting on: each flag is one disk.
  commaSeparated: false,
  required: false,
  help: "The disk the layout partitions, an absolute /dev/ path (best a /dev/disk/by-id/ name); give it twice for zfs-mirror.",
  defaultText: `a placeholder ${PLACEHOLDER_PREFIX}… the fork check warns about`,
  check: (v) => checkDiskDevice(v),
  checkList: (devices, ctx) => {
    const layout = ctx.answers.disk;
    if (typeof layout !== "string") return "--disk-device names the disk of a --disk layout: give --disk too (such as --disk ext4), or drop --disk-device.";
    return checkDiskLayout(layout) ?? checkDiskDevices(layout as DiskLayout, devices);
  },
};
