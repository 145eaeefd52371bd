# alice's home, usable on its own without root:
#
#   home-manager switch --flake .#alice
#
# Hosts that integrate alice import this file from hosts/<host>/home/alice.nix
# (the `reuse` pattern), so both ways deploy the same home.
{ pkgs, ... }:
{
  imports = [ ../../modules/home ];

  home.stateVersion = "26.05";

  programs.git.settings.user = {
    name = "Alice Liddell";
    email = "alice@example.com";
  };

  programs.zsh.enable = true;
  programs.home-manager.enable = true;
}
