# Home Manager settings shared by every user who imports them (the `shared`
# and `reuse` patterns). A user's own file adds identity and overrides.
{ pkgs, ... }:
{
  imports = [
    ./git.nix
    ./shell.nix
    ./editor.nix
  ];

  home.packages = with pkgs; [
    htop
    ripgrep
    fd
    jq
    tree
  ];
}
