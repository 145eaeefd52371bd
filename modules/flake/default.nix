# The helpers flake.nix builds its entries with. flake.nix passes its inputs
# and the Home Manager settings every host shares (`homeManager`), so those
# are written once, there.
{ inputs, homeManager }:
let
  inherit (inputs)
    nixpkgs
    home-manager
    nix-darwin
    colmena
    agenix
    ;

  # One NixOS host's modules: its own configuration.nix, the shared system
  # modules, and Home Manager integrated as a NixOS module, so a single
  # `nixos-rebuild switch --flake .#<host>` deploys the system and every
  # user's home together. nixosConfigurations and colmenaHive both build the
  # host from this one list. A host with a disko layout (`pnpm gen host
  # --disk`) also gets disko's module, which sets its fileSystems from it.
  hostModules =
    { hostName, system }:
    let
      diskConfig = ../../hosts/${hostName}/disk-config.nix;
    in
    [
      {
        nixpkgs.hostPlatform = system;
        networking.hostName = hostName;
      }
      ../nixos
      ../../hosts/${hostName}/configuration.nix
      home-manager.nixosModules.home-manager
      homeManager
      # age.secrets, decrypted at activation with /etc/ssh/ssh_host_ed25519_key.
      agenix.nixosModules.default
    ]
    ++ nixpkgs.lib.optionals (builtins.pathExists diskConfig) [
      inputs.disko.nixosModules.disko
      diskConfig
    ];

  # One NixOS host. It keeps its arguments (`host`): that is how mkHive
  # rebuilds it as a Colmena node.
  mkHost =
    host:
    nixpkgs.lib.nixosSystem {
      specialArgs = { inherit inputs; };
      modules = hostModules host;
    }
    // {
      inherit host;
    };

  # One Mac: its own configuration.nix, the shared darwin modules, and Home
  # Manager integrated as a nix-darwin module, so a single
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
        ../darwin
        ../../hosts/${hostName}/configuration.nix
        home-manager.darwinModules.home-manager
        homeManager
        agenix.darwinModules.default
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

  # The Colmena hive of every nixosConfigurations entry mkHost built (an
  # entry written by hand has no `host` to rebuild it from: the fork check
  # names it). Each node is built from its hostModules, plus
  # hosts/<host>/deployment.nix when there is one (where Colmena reaches it
  # and its tags; `pnpm gen deploy` writes it). Colmena's deployment options
  # exist only here, so nixosConfigurations never read that file. A host
  # without one deploys to its own name, as root.
  mkHive =
    nixosConfigurations:
    let
      hosts = nixpkgs.lib.filterAttrs (_: c: c ? host) nixosConfigurations;
      deploymentOf =
        hostName:
        let
          file = ../../hosts/${hostName}/deployment.nix;
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
  checksOf =
    self: system:
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
    // prefixed "home" (builtins.mapAttrs (_: c: c.activationPackage) (onSystem self.homeConfigurations));

  # The systems the dev shell and `nix fmt` work on: Linux and macOS.
  forAllSystems = nixpkgs.lib.genAttrs [
    "x86_64-linux"
    "aarch64-linux"
    "x86_64-darwin"
    "aarch64-darwin"
  ];
in
{
  inherit
    mkHost
    mkDarwin
    mkHome
    mkHive
    checksOf
    forAllSystems
    ;
}
