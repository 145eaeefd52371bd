# zoe on example (pattern: separate).
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

  # Lets `home-manager switch --flake .#zoe@example` work on its own.
  programs.home-manager.enable = true;
}
