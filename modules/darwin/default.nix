# System settings every Mac shares. A Mac's own settings go in
# hosts/<host>/configuration.nix, which can override anything set here with
# a plain definition (these are mkDefault where a Mac may well differ).
#
# nix-darwin manages the Nix installation here. With Determinate Nix, which
# manages Nix itself, set `nix.enable = false;` in the host and move these
# nix.* settings to Determinate's own configuration.
{ lib, pkgs, ... }:
{
  nix.settings = {
    experimental-features = [
      "nix-command"
      "flakes"
    ];
    # macOS administrators are the admin group (NixOS hosts use wheel).
    trusted-users = [
      "root"
      "@admin"
    ];
  };
  # Weekly by default (launchd: Sundays at 03:15).
  nix.gc = {
    automatic = true;
    options = "--delete-older-than 14d";
  };

  # sudo accepts Touch ID where the Mac has it.
  security.pam.services.sudo_local.touchIdAuth = lib.mkDefault true;

  environment.systemPackages = with pkgs; [
    git
    vim
    curl
  ];
}
