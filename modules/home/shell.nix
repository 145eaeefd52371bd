# Aliases for whichever shell a user enables (bash, zsh and fish all read
# home.shellAliases), and direnv for per-project environments.
{
  home.shellAliases = {
    ll = "ls -la";
    la = "ls -A";
    ".." = "cd ..";
  };

  programs.direnv = {
    enable = true;
    nix-direnv.enable = true;
  };
}
