# Offline stand-in for nixpkgs, used only by the test suite through
# `nix eval --override-input nixpkgs path:<this dir>`. It evaluates no NixOS
# option: lib.nixosSystem walks the module tree instead (every imported path
# must exist and be a module) and reports what a structure check needs.
{
  description = "Stub nixpkgs for offline structure checks";

  outputs =
    { self }:
    let
      walk = import ./walk.nix;
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      forSystems = f: builtins.listToAttrs (map (s: { name = s; value = f s; }) systems);
      inherit (walk) stubPkgs;
      lib = walk.lib // {
        _walk = walk;
        nixosSystem =
          { modules, specialArgs ? { }, system ? null, ... }:
          walk.evalTree {
            inherit modules;
            args = specialArgs // {
              inherit lib;
              pkgs = stubPkgs (if system == null then "x86_64-linux" else system);
              modulesPath = "${self}/nixos/modules";
            };
            # Neither nix-darwin's settings nor Colmena's (those only colmenaHive declares).
            foreign = walk.darwinOnly ++ walk.hiveOnly;
          };
      };
    in
    {
      inherit lib;
      legacyPackages = forSystems stubPkgs;
    };
}
