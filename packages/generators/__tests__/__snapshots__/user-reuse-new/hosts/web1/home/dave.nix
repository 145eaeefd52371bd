# dave on web1 (pattern: reuse).
# The home itself is the standalone config in nix/dave/home.nix;
# this file adds only what this host needs.
{ lib, pkgs, ... }:
{
  imports = [ ../../../nix/dave/home.nix ];

  # Host-specific additions and overrides, for example:
  # home.packages = with pkgs; [ ];
  # programs.git.settings.user.email = lib.mkForce "dave@work.example";
}
