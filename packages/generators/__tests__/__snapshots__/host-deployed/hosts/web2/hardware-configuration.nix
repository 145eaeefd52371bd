# PLACEHOLDER, so that web2 evaluates before it has real hardware.
# On the machine itself, replace this file with what NixOS detects:
#
#   sudo nixos-generate-config --show-hardware-config > hosts/web2/hardware-configuration.nix
#
# The disks below are guesses: a machine booted with them unchanged will
# not find its root file system.
{ lib, ... }:
{
  fileSystems."/" = {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };
  fileSystems."/boot" = {
    device = "/dev/disk/by-label/boot";
    fsType = "vfat";
    options = [
      "fmask=0077"
      "dmask=0077"
    ];
  };

  nixpkgs.hostPlatform = lib.mkDefault "x86_64-linux";
}
