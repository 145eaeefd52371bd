{
  description = "NixOS machines, Macs and their users' homes, managed with Home Manager";

  inputs = {
    # Keep nixpkgs and Home Manager on the same release: a mismatch is the most
    # common source of Home Manager warnings and broken options.
    nixpkgs.url = "github:nixos/nixpkgs/nixos-26.05";
    home-manager = {
      url = "github:nix-community/home-manager/release-26.05";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    # Macs: nix-darwin's release branch for the same release.
    nix-darwin = {
      url = "github:nix-darwin/nix-darwin/nix-darwin-26.05";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    # Colmena deploys many hosts at once (colmenaHive below); only its
    # makeHive is used, so it follows the same nixpkgs.
    colmena = {
      url = "github:zhaofengli/colmena";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      home-manager,
      nix-darwin,
      colmena,
      ...
    }@inputs:
    let
      # One NixOS host's modules: its own configuration.nix, the shared
      # system modules, and Home Manager integrated as a NixOS module, so a
      # single `nixos-rebuild switch --flake .#<host>` deploys the system and
      # every user's home together. nixosConfigurations and colmenaHive both
      # build the host from this one list.
      hostModules =
        { hostName, system }:
        [
          {
            nixpkgs.hostPlatform = system;
            networking.hostName = hostName;
          }
          ./modules/nixos
          ./hosts/${hostName}/configuration.nix
          home-manager.nixosModules.home-manager
          {
            home-manager.useGlobalPkgs = true;
            home-manager.useUserPackages = true;
            home-manager.extraSpecialArgs = { inherit inputs; };
            # Rename clashing dotfiles instead of failing the activation.
            home-manager.backupFileExtension = "hm-backup";
          }
        ];

      # One NixOS host, keeping its arguments (`host`) for colmenaHive.
      mkHost =
        host:
        nixpkgs.lib.nixosSystem {
          specialArgs = { inherit inputs; };
          modules = hostModules host;
        }
        // {
          inherit host;
        };

      # One Mac: its own configuration.nix, the shared darwin modules, and
      # Home Manager integrated as a nix-darwin module, so a single
      # `sudo darwin-rebuild switch --flake .#<host>` deploys the system and
      # every user's home together.
      mkDarwin =
        { hostName, system }:
        nix-darwin.lib.darwinSystem {
          specialArgs = { inherit inputs; };
          modules = [
            {
              nixpkgs.hostPlatform = system;
              networking.hostName = hostName;
            }
            ./modules/darwin
            ./hosts/${hostName}/configuration.nix
            home-manager.darwinModules.home-manager
            {
              home-manager.useGlobalPkgs = true;
              home-manager.useUserPackages = true;
              home-manager.extraSpecialArgs = { inherit inputs; };
              # Rename clashing dotfiles instead of failing the activation.
              home-manager.backupFileExtension = "hm-backup";
            }
          ];
        };

      # One standalone Home Manager configuration, for `home-manager switch`
      # without root. The same home files work integrated and standalone.
      mkHome =
        {
          username,
          system,
          modules,
        }:
        let
          pkgs = nixpkgs.legacyPackages.${system};
        in
        home-manager.lib.homeManagerConfiguration {
          inherit pkgs;
          extraSpecialArgs = { inherit inputs; };
          modules = [
            {
              home.username = username;
              # macOS keeps homes in /Users, Linux in /home.
              home.homeDirectory =
                if pkgs.stdenv.hostPlatform.isDarwin then "/Users/${username}" else "/home/${username}";
            }
          ]
          ++ modules;
        };

      # The systems the dev shell and `nix fmt` work on: Linux and macOS.
      forAllSystems = nixpkgs.lib.genAttrs [
        "x86_64-linux"
        "aarch64-linux"
        "x86_64-darwin"
        "aarch64-darwin"
      ];
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

      # `colmena apply` deploys every host above that keeps its `host`
      # arguments, as the generated entries do (`--on @<tag>` picks some):
      # each node is built from its hostModules, plus
      # hosts/<host>/deployment.nix when there is one (where Colmena reaches
      # it and its tags; `pnpm gen deploy` writes it). Colmena's deployment
      # options exist only here, so nixosConfigurations never read that file.
      # A host without one deploys to its own name, as root.
      colmenaHive =
        let
          hosts = nixpkgs.lib.filterAttrs (_: c: c ? host) self.nixosConfigurations;
          deploymentOf =
            hostName:
            let
              file = ./hosts/${hostName}/deployment.nix;
            in
            nixpkgs.lib.optional (builtins.pathExists file) file;
        in
        colmena.lib.makeHive (
          {
            meta = {
              nixpkgs = nixpkgs.legacyPackages.x86_64-linux;
              # Each node on its own platform's packages.
              nodeNixpkgs = builtins.mapAttrs (_: c: nixpkgs.legacyPackages.${c.host.system}) hosts;
              specialArgs = { inherit inputs; };
            };
          }
          // builtins.mapAttrs (_: c: hostModules c.host ++ deploymentOf c.host.hostName) hosts
        );

      # `nix flake check` evaluates (and builds) every host and every home, so a
      # standalone config that nothing deploys still fails CI when it breaks.
      checks = forAllSystems (
        system:
        let
          onSystem = nixpkgs.lib.filterAttrs (_: c: c.pkgs.stdenv.hostPlatform.system == system);
          prefixed =
            prefix: nixpkgs.lib.mapAttrs' (name: value: nixpkgs.lib.nameValuePair "${prefix}-${name}" value);
        in
        prefixed "host" (
          builtins.mapAttrs (_: c: c.config.system.build.toplevel) (
            onSystem (self.nixosConfigurations // self.darwinConfigurations)
          )
        )
        // prefixed "home" (
          builtins.mapAttrs (_: c: c.activationPackage) (onSystem self.homeConfigurations)
        )
      );

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
