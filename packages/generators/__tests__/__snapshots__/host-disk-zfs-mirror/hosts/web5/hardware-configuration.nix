# web5's hardware. Its disks and file systems are in ./disk-config.nix
# (disko), so none are set here.
#
# `pnpm gen install web5` writes ./facter.json on the machine with
# nixos-facter (kernel modules, CPU microcode, firmware, graphics), and NixOS
# reads it from there: commit it (`git add hosts/web5/facter.json`).
# Until it exists, web5 evaluates without it.
{ lib, ... }:
{
  nixpkgs.hostPlatform = lib.mkDefault "x86_64-linux";
}
// lib.optionalAttrs (builtins.pathExists ./facter.json) {
  hardware.facter.reportPath = ./facter.json;
}
