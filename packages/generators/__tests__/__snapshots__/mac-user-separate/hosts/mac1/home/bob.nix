# bob on mac1 (pattern: separate).
# The whole home is in this file; ../configuration.nix wires it in
# with home-manager.users.bob.
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
      name = "Bob Builder";
      email = "bob@example.com";
    };
  };

  programs.zsh = {
    enable = true;
    shellAliases = {
      ll = "ls -la";
    };
  };
}
