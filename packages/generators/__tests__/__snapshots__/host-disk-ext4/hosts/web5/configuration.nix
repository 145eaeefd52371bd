# web5: this host's own settings. Settings every host shares are in
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
  system.stateVersion = "26.05";

  # Users of this host: `pnpm gen user --host web5` adds them below.
}
