# pi: this host's own settings. Settings every host shares are in
# modules/nixos; the flake's mkHost adds Home Manager and the host name.
{
  config,
  lib,
  pkgs,
  ...
}:
{
  imports = [ ./hardware-configuration.nix ];

  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;

  # The NixOS release this host was first installed with. It pins the
  # defaults of stateful services, not the NixOS you run: leave it as it is
  # when you upgrade, unless the release notes say otherwise.
  system.stateVersion = "25.11";

  # Users of this host: `pnpm gen user --host pi` adds them below.

  # bob
  users.users.bob = {
    isNormalUser = true;
    description = "bob";
    extraGroups = [
      "wheel"
      "networkmanager"
    ];
    shell = pkgs.bashInteractive;
  };
  home-manager.users.bob = ./home/bob.nix;

  # carol
  users.users.carol = {
    isNormalUser = true;
    description = "carol";
    extraGroups = [
      "wheel"
      "networkmanager"
    ];
    shell = pkgs.bashInteractive;
  };
  home-manager.users.carol = ./home/carol.nix;
}
