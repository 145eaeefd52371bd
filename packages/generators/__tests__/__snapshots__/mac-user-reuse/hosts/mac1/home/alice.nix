# alice on mac1 (pattern: reuse).
# The home itself is the standalone config in nix/alice/home.nix;
# this file adds only what this host needs.
{ lib, pkgs, ... }:
{
  imports = [ ../../../nix/alice/home.nix ];

  # Host-specific additions and overrides, for example:
  # home.packages = with pkgs; [ ];
  # programs.git.settings.user.email = lib.mkForce "alice@work.example";
}
