# mac1: this Mac's own settings. Settings every Mac shares are in
# modules/darwin; the flake's mkDarwin adds Home Manager and the host name.
{
  config,
  lib,
  pkgs,
  ...
}:
{
  # nix-darwin's own state version, an integer (not a NixOS release): the
  # one nix-darwin was first installed with. It pins the defaults of
  # stateful settings, not the nix-darwin you run: leave it as it is when
  # you upgrade, unless `darwin-rebuild changelog` says otherwise.
  system.stateVersion = 7;

  # Per-user macOS settings (system.defaults for the Dock, Finder, …, and
  # Homebrew) apply to system.primaryUser, which `pnpm gen user` sets to
  # this Mac's first user. For example:
  # system.defaults.dock.autohide = true;

  # Users of this Mac: `pnpm gen user --host mac1` adds them below.

  # alice
  users.users.alice = {
    # Home Manager takes the home directory from here. macOS owns the
    # account itself (System Settings > Users & Groups).
    home = "/Users/alice";
  };
  # Per-user macOS settings (system.defaults, Homebrew) apply to alice.
  system.primaryUser = "alice";
  home-manager.users.alice = ./home/alice.nix;

  # zoe
  users.users.zoe = {
    # Home Manager takes the home directory from here. macOS owns the
    # account itself (System Settings > Users & Groups).
    home = "/Users/zoe";
  };
  home-manager.users.zoe = ./home/zoe.nix;
}
