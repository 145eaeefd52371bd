# Offline stand-in for nix-darwin (see ../nixpkgs/flake.nix): darwinSystem
# walks the module tree like the nixpkgs stub's nixosSystem, and refuses
# NixOS-only settings that nix-darwin has no option for.
{
  description = "Stub nix-darwin for offline structure checks";

  # Always replaced through `inputs.nixpkgs.follows` by the flake under test.
  inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-26.05";

  outputs =
    { self, nixpkgs }:
    let
      walk = nixpkgs.lib._walk;
    in
    {
      lib.darwinSystem =
        { modules, specialArgs ? { }, ... }:
        walk.evalTree {
          inherit modules;
          args = specialArgs // {
            lib = nixpkgs.lib;
            # Filled from nixpkgs.hostPlatform by the walker when it reports pkgs.
            pkgs = walk.stubPkgs "aarch64-darwin";
            modulesPath = "${self}/modules";
          };
          foreign = walk.nixosOnly;
          system = "nix-darwin";
        };
    };
}
