# erin on web1 (pattern: shared).
# Common settings come from the shared modules in modules/home;
# this file adds erin's identity and what is specific to this host.
{ pkgs, ... }:
{
  imports = [ ../../../modules/home ];

  home.stateVersion = "26.05";

  programs.git.settings.user = {
    name = "Erin Hale";
  };

  programs.bash.enable = true;

  # Lets `home-manager switch --flake .#erin@web1` work on its own.
  programs.home-manager.enable = true;

  # Host-specific overrides, for example:
  # home.packages = with pkgs; [ ];
}
