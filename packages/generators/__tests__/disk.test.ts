// gen host --disk: the disko layouts, rendered from the templates, parse,
// and a host with one evaluates with the stub inputs (disko's stub sets its
// fileSystems, as disko does; nothing else of the host sets any).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkFork, evalWithStubs, nixAvailable, parseNixSources } from "@starter/nix-check";
import { describe, expect, it } from "vitest";
import { applyPlan, checkPlan } from "../src/write/apply.js";
import {
  DISK_LAYOUTS,
  PLACEHOLDER_DEVICES,
  addDiskToTree,
  checkDiskDevice,
  checkDiskLayout,
  renderDiskConfig,
  zfsHostId,
} from "../src/generators/host/disk.js";
import { addHostToTree } from "../src/generators/host/plan.js";
import { Tree, fsRepo } from "../src/repo/tree.js";
import { readTree, starterRepos } from "./helpers.js";

const repos = starterRepos();
const nixIt = nixAvailable() ? it : it.skip;

/** A temp starter with `name` added by gen host --disk (the starter's flake has disko). */
function hostWithDisk(name: string, layout: string, devices: string[] = []): string {
  const dir = repos();
  const tree = new Tree(fsRepo(dir));
  addHostToTree(tree, { name, system: "x86_64-linux", disk: layout, diskDevices: devices });
  const plan = { title: `Add host ${name}`, changes: tree.changes(), nextSteps: [] };
  checkPlan(plan, dir);
  applyPlan(plan, dir);
  return dir;
}

interface Walked {
  files: string[];
  fileSystems: Record<string, { device: string; fsType: string }>;
  luks: Record<string, { device: string }>;
  byHand: string[];
  facter: string | null;
  hostId: string | null;
  disko: boolean;
}

const WALK = `c: {
  files = c.files;
  fileSystems = builtins.mapAttrs (_: f: { inherit (f) device fsType; }) c.config.fileSystems;
  luks = builtins.mapAttrs (_: l: { inherit (l) device; }) c.config.boot.initrd.luks.devices;
  # The modules that set fileSystems themselves (disko's stub derives its own).
  byHand = map (r: r.file) (builtins.filter (r: r.value ? fileSystems) c.records);
  facter = c.config.hardware.facter.reportPath;
  hostId = c.config.networking.hostId;
  # disko's module (the stub's) is one of the host's modules.
  disko = builtins.any (r: r.value ? _stub.derive) c.records;
}`;

const walk = (dir: string, host: string) => evalWithStubs<Walked>(dir, `nixosConfigurations.${host}`, { apply: WALK });
const repoPaths = (files: string[]) => files.filter((f) => f.startsWith("/nix/store/")).map((f) => f.replace(/^\/nix\/store\/[a-z0-9]{32}-source\//, ""));

describe("disk layouts", () => {
  nixIt("every layout parses, with the placeholders and with real devices", () => {
    const sources = DISK_LAYOUTS.flatMap((layout) => [
      { path: `${layout}-placeholder.nix`, content: renderDiskConfig("web5", layout, PLACEHOLDER_DEVICES.slice(0, layout === "zfs-mirror" ? 2 : 1)) },
      { path: `${layout}.nix`, content: renderDiskConfig("web5", layout, ["/dev/nvme0n1", "/dev/nvme1n1"]) },
    ]);
    expect(parseNixSources(sources)).toMatchObject({ ok: true });
  });

  nixIt("web5 with --disk luks-ext4 --disk-device /dev/nvme0n1 evaluates: disko's module is in, no fileSystems by hand", () => {
    const dir = hostWithDisk("web5", "luks-ext4", ["/dev/nvme0n1"]);
    const disk = readFileSync(join(dir, "hosts/web5/disk-config.nix"), "utf8");
    expect(disk).toContain('device = "/dev/nvme0n1";');
    expect(disk).toContain('passwordFile = "/tmp/disk.key";');
    // No key file: the passphrase is asked at boot.
    expect(disk).not.toMatch(/keyFile/);
    const hw = readFileSync(join(dir, "hosts/web5/hardware-configuration.nix"), "utf8");
    expect(hw).not.toMatch(/fileSystems/);

    const web5 = walk(dir, "web5");
    expect(repoPaths(web5.files)).toEqual(expect.arrayContaining(["hosts/web5/configuration.nix", "hosts/web5/hardware-configuration.nix", "hosts/web5/disk-config.nix"]));
    expect(web5.disko).toBe(true);
    expect(repoPaths(web5.byHand)).toEqual([]);
    expect(web5.fileSystems).toEqual({
      "/": { device: "/dev/mapper/cryptroot", fsType: "ext4" },
      "/boot": { device: "/dev/disk/by-partlabel/disk-main-ESP", fsType: "vfat" },
    });
    expect(web5.luks).toEqual({ cryptroot: { device: "/dev/disk/by-partlabel/disk-main-luks" } });
    expect(web5.facter).toBeNull();
    // The other host is as before: its placeholder hardware config sets its disks.
    const example = walk(dir, "example");
    expect(example.disko).toBe(false);
    expect(Object.keys(example.fileSystems).sort()).toEqual(["/", "/boot"]);
  });

  nixIt("btrfs gives /, /home and /nix as subvolumes; zfs-mirror a pool with a hostId", () => {
    const dir = hostWithDisk("store1", "btrfs", ["/dev/sda"]);
    expect(walk(dir, "store1").fileSystems).toMatchObject({
      "/": { fsType: "btrfs" },
      "/home": { fsType: "btrfs" },
      "/nix": { fsType: "btrfs" },
      "/boot": { fsType: "vfat" },
    });
    const zdir = hostWithDisk("nas1", "zfs-mirror", ["/dev/disk/by-id/ata-A", "/dev/disk/by-id/ata-B"]);
    const nas = walk(zdir, "nas1");
    expect(nas.fileSystems).toMatchObject({ "/": { device: "zroot/root", fsType: "zfs" }, "/home": { device: "zroot/home" }, "/nix": { device: "zroot/nix" } });
    expect(nas.hostId).toBe(zfsHostId("nas1"));
    expect(nas.hostId).toMatch(/^[0-9a-f]{8}$/);
  });

  nixIt("facter.json, once there, is the host's hardware report", () => {
    const dir = hostWithDisk("web5", "ext4", ["/dev/vda"]);
    writeFileSync(join(dir, "hosts/web5/facter.json"), '{"version":1}\n');
    expect(walk(dir, "web5").facter).toMatch(/-source\/hosts\/web5\/facter\.json$/);
  });

  nixIt("the fork check warns about a placeholder disk, and the stubs refuse hand-set fileSystems next to disko", () => {
    const dir = hostWithDisk("web5", "ext4");
    const report = checkFork(dir);
    expect(report.problems).toEqual([]);
    expect(report.warnings).toEqual([expect.stringMatching(/^hosts\/web5\/disk-config\.nix: names the placeholder disk \/dev\/disk\/by-id\/REPLACE-WITH-/)]);
    // The old placeholder hardware config back in: both it and disko set "/".
    writeFileSync(join(dir, "hosts/web5/hardware-configuration.nix"), readTree(dir)["hosts/example/hardware-configuration.nix"]!);
    expect(() => walk(dir, "web5")).toThrow(/fileSystems\."\/" is set by hand and by disko/);
  });

  it("refuses an unknown layout and a --disk-device that is not an absolute /dev/ path", () => {
    expect(checkDiskLayout("xfs")).toMatch(/^The disk layout "xfs" is not one the generator knows: use one of ext4, luks-ext4, btrfs, zfs-mirror\.$/);
    for (const bad of ["nvme0n1", "/tmp/disk", "/dev/", "/dev/../etc/passwd", "/dev/sda; rm -rf /", '/dev/sd"a', "/dev/disk/by-id/REPLACE-WITH-YOUR-DISK"]) {
      expect(checkDiskDevice(bad), bad).toMatch(/^The disk device .* (is not an absolute \/dev\/ path|is the layout's placeholder): give the whole disk/);
    }
    expect(checkDiskDevice("/dev/disk/by-id/nvme-Samsung_SSD_980_1TB_S64ANS0T123456")).toBeUndefined();
    const tree = new Tree(fsRepo(repos()));
    expect(() => addDiskToTree(tree, { name: "nas1", system: "x86_64-linux", layout: "zfs-mirror", devices: ["/dev/sda"] })).toThrow(/give --disk-device twice/);
    expect(() => addDiskToTree(tree, { name: "mac1", system: "aarch64-darwin", layout: "ext4" })).toThrow(/--disk is for NixOS hosts/);
    expect(() => addDiskToTree(tree, { name: "web6", system: "x86_64-linux", layout: "ext4", hardwareConfig: "hw.nix" })).toThrow(/--disk and --hardware-config do not go together/);
    expect(tree.changes()).toEqual([]);
  });
});
