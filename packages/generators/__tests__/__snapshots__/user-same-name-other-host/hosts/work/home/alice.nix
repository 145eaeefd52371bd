# alice on work (pattern: separate).
# The whole home is in this file; ../configuration.nix wires it in
# with home-manager.users.alice.
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
      name = "Alice Liddell";
      email = "alice@work.example";
    };
  };

  programs.bash = {
    enable = true;
    shellAliases = {
      ll = "ls -la";
    };
  };
}
