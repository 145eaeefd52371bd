{
  programs.neovim = {
    enable = true;
    defaultEditor = true;
    viAlias = true;
    vimAlias = true;
    # Set explicitly: Home Manager 26.05 turned these providers off for new
    # homes (home.stateVersion 26.05) and warns on older homes that leave
    # them unset. Off is the new default; turn one on for plugins that need it.
    withRuby = false;
    withPython3 = false;
  };
}
