# dave on example (pattern: shared).
# Common settings come from the shared modules in modules/home;
# this file adds dave's identity and what is specific to this host.
{ pkgs, ... }:
{
  imports = [ ../../../modules/home ];

  home.stateVersion = "26.05";

  programs.git.settings.user = {
    name = "Dave";
  };

  programs.bash.enable = true;

  # Lets `home-manager switch --flake .#dave@example` work on its own.
  programs.home-manager.enable = true;

  # Host-specific overrides, for example:
  # home.packages = with pkgs; [ ];
}
