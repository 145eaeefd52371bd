{
  description = "NixOS machines, Macs and their users' homes, managed with Home Manager";

  inputs = {
    # nixpkgs, Home Manager and nix-darwin (Macs) on one release: a mismatch is
    # the most common source of Home Manager warnings and broken options.
    nixpkgs.url = "github:nixos/nixpkgs/nixos-26.05";
    home-manager = {
      url = "github:nix-community/home-manager/release-26.05";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    nix-darwin = {
      url = "github:nix-darwin/nix-darwin/nix-darwin-26.05";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    # Colmena deploys many hosts at once (colmenaHive below, via makeHive).
    colmena = {
      url = "github:zhaofengli/colmena";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    # Secrets (`pnpm gen secret`): age files, decrypted with host SSH keys.
    agenix = {
      url = "github:ryantm/agenix";
      inputs.nixpkgs.follows = "nixpkgs";
      inputs.darwin.follows = "nix-darwin";
      inputs.home-manager.follows = "home-manager";
    };
    # disko partitions a host by hosts/<host>/disk-config.nix (gen install).
    disko = {
      url = "github:nix-community/disko";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    { self, nixpkgs, ... }@inputs:
    let
      # The helpers that build the entries below and the Colmena hive
      # (modules/flake/default.nix), given the Home Manager settings here.
      inherit (import ./modules/flake { inherit inputs homeManager; })
        mkHost
        mkDarwin
        mkHome
        mkHive
        checksOf
        forAllSystems
        ;

      # Home Manager in every NixOS host and Mac, one rebuild for all homes.
      homeManager = {
        home-manager.useGlobalPkgs = true;
        home-manager.useUserPackages = true;
        home-manager.extraSpecialArgs = { inherit inputs; };
        home-manager.backupFileExtension = "hm-backup"; # rename clashes
      };
    in
    {
      # `pnpm gen host` adds an entry per host here.
      nixosConfigurations = {
        example = mkHost {
          hostName = "example";
          system = "x86_64-linux";
        };
      };

      # Macs: `pnpm gen host <name> --system aarch64-darwin` adds an entry per Mac here.
      darwinConfigurations = {
      };

      # `pnpm gen user --standalone` (and the `reuse` pattern) add entries here.
      homeConfigurations = {
        alice = mkHome {
          username = "alice";
          system = "x86_64-linux";
          modules = [ ./nix/alice/home.nix ];
        };
      };

      # `colmena apply` deploys every host above (`--on @<tag>` picks some);
      # an entry written by hand is no node, and the fork check names it.
      colmenaHive = mkHive self.nixosConfigurations;

      # `nix flake check` evaluates (and builds) every host and every home.
      checks = forAllSystems (checksOf self);

      # `nix develop`, or direnv's `use flake` (.envrc): everything the README's
      # commands need. pnpm 10 runs the exact version package.json pins in
      # `packageManager` (it fetches it on first use). The docs' browser tests
      # find Chromium through CHROMIUM_PATH; nixpkgs builds it for Linux only.
      devShells = forAllSystems (
        system:
        let
          pkgs = nixpkgs.legacyPackages.${system};
          inherit (pkgs.stdenv.hostPlatform) isLinux;
        in
        {
          default = pkgs.mkShell {
            packages = [
              pkgs.nodejs_22
              pkgs.pnpm_10
              pkgs.git
              pkgs.nixfmt
              # `pnpm gen secret` encrypts with age; `agenix -e` edits one by hand.
              pkgs.age
              inputs.agenix.packages.${system}.default
              # `pnpm gen install` runs it (no flake input: only this shell needs it).
              pkgs.nixos-anywhere
            ]
            ++ nixpkgs.lib.optionals isLinux [ pkgs.chromium ];
            env = nixpkgs.lib.optionalAttrs isLinux {
              CHROMIUM_PATH = nixpkgs.lib.getExe pkgs.chromium;
            };
          };
        }
      );

      # `nix fmt`: nixfmt on every .nix file in the repository (through treefmt).
      formatter = forAllSystems (system: nixpkgs.legacyPackages.${system}.nixfmt-tree);
    };
}
