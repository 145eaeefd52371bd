# dave's home, usable on its own without root:
#
#   home-manager switch --flake .#dave
#
# Hosts that integrate dave import this file from hosts/<host>/home/dave.nix
# (the `reuse` pattern), so both ways deploy the same home.
{ pkgs, ... }:
{
  imports = [ ../../modules/home ];

  home.stateVersion = "26.05";

  programs.git.settings.user = {
    name = "Dave Rossi";
    email = "dave@example.com";
  };

  programs.zsh.enable = true;
  programs.home-manager.enable = true;
}
