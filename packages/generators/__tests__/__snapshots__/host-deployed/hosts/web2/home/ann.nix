# ann on web2 (pattern: shared).
# Common settings come from the shared modules in modules/home;
# this file adds ann's identity and what is specific to this host.
{ pkgs, ... }:
{
  imports = [ ../../../modules/home ];

  home.stateVersion = "26.05";

  programs.git.settings.user = {
    name = "ann";
  };

  programs.bash.enable = true;

  # Host-specific overrides, for example:
  # home.packages = with pkgs; [ ];
}
