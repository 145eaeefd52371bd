# Offline stand-in for disko (see ../nixpkgs/flake.nix). Its nixosModules.disko
# does what the real module does to a host's configuration, as far as the
# stub walker can see it: it reads `disko.devices` and sets the host's
# fileSystems (and boot.initrd.luks.devices) from them, with disko's own
# device names (/dev/disk/by-partlabel/disk-<disk>-<partition>,
# /dev/mapper/<luks name>, <pool>/<dataset>). It also refuses what disko's
# types refuse: an unknown content type, a disk without an absolute device,
# a partition table other than gpt, a pool or volume group nothing defines.
# Nothing is partitioned.
{
  description = "Stub disko for offline structure checks";

  # Always replaced through `inputs.nixpkgs.follows` by the flake under test.
  inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-26.05";

  outputs =
    { self, nixpkgs }:
    let
      derive = import ./derive.nix;
    in
    {
      nixosModules.disko = {
        # The walker calls this with every module record of the host.
        _stub.derive = derive;
      };
      nixosModules.default = self.nixosModules.disko;
    };
}
