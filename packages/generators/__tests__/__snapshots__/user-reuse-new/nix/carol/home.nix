# carol's home, usable on its own without root:
#
#   home-manager switch --flake .#carol
#
# Hosts that integrate carol import this file from hosts/<host>/home/carol.nix
# (the `reuse` pattern), so both ways deploy the same home.
{ pkgs, ... }:
{
  imports = [ ../../modules/home ];

  home.stateVersion = "26.05";

  programs.git.settings.user = {
    name = "Carol Danvers";
    email = "carol@example.com";
  };

  programs.bash.enable = true;
  programs.home-manager.enable = true;
}
