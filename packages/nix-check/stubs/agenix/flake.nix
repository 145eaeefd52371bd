# Offline stand-in for agenix (see ../nixpkgs/flake.nix). Its module, the
# same for NixOS and nix-darwin as upstream's modules/age.nix, declares
# `age` (so the walker lets a host set age.secrets only where it is
# imported); the walker fills each secret's defaults as upstream does (see
# ageSecrets in ../nixpkgs/walk.nix).
{
  description = "Stub agenix for offline structure checks";

  # Always replaced through `inputs.nixpkgs.follows` by the flake under test.
  # (Upstream's `darwin` and `home-manager` inputs are left out: the fork's
  # follows for them only draw a warning, and nothing is fetched.)
  inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-26.05";

  outputs =
    { self, nixpkgs, ... }:
    let
      walk = nixpkgs.lib._walk;
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      forSystems = f: builtins.listToAttrs (map (s: { name = s; value = f s; }) systems);
      module = {
        options.age = {
          secrets = "attrsOf { name file path mode owner group symlink }";
          ageBin = "str";
          identityPaths = "listOf path";
          secretsDir = "path";
          secretsMountPoint = "str";
        };
        config = { };
      };
    in
    {
      nixosModules.age = module;
      nixosModules.default = self.nixosModules.age;
      darwinModules.age = module;
      darwinModules.default = self.darwinModules.age;
      homeManagerModules.age = module;
      homeManagerModules.default = self.homeManagerModules.age;
      packages = forSystems (system: rec {
        agenix = walk.stubPackage system "agenix" "agenix";
        default = agenix;
      });
    };
}
