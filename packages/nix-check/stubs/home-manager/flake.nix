# Offline stand-in for Home Manager (see ../nixpkgs/flake.nix).
{
  description = "Stub home-manager for offline structure checks";

  # Always replaced through `inputs.nixpkgs.follows` by the flake under test.
  inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-26.05";

  outputs =
    { self, nixpkgs }:
    let
      walk = nixpkgs.lib._walk;
    in
    {
      nixosModules.home-manager = { ... }: { };
      nixosModules.default = self.nixosModules.home-manager;
      darwinModules.home-manager = { ... }: { };
      darwinModules.default = self.darwinModules.home-manager;
      lib.homeManagerConfiguration =
        { pkgs, modules, extraSpecialArgs ? { }, ... }:
        {
          _stub = true;
          inherit pkgs;
          activationPackage = "stub-activation";
          config = walk.homeTree (extraSpecialArgs // {
            inherit pkgs;
            lib = nixpkgs.lib;
            config = { };
            options = { };
          }) { imports = modules; };
        };
    };
}
