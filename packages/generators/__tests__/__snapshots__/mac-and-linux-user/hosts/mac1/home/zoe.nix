# zoe on mac1 (pattern: separate).
# The whole home is in this file; ../configuration.nix wires it in
# with home-manager.users.zoe.
{ pkgs, ... }:
{
  home.stateVersion = "26.05";

  home.packages = with pkgs; [
    htop
    ripgrep
  ];

  programs.git = {
    enable = true;
    settings.user = {
      name = "zoe";
    };
  };

  programs.zsh = {
    enable = true;
    shellAliases = {
      ll = "ls -la";
    };
  };

  # Lets `home-manager switch --flake .#zoe@mac1` work on its own.
  programs.home-manager.enable = true;
}
