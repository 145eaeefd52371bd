# Git defaults. The identity (settings.user.name / .email) is per user and
# lives in each user's home file.
{
  programs.git = {
    enable = true;
    settings = {
      init.defaultBranch = "main";
      pull.rebase = true;
      alias = {
        st = "status --short";
        lg = "log --oneline --graph --decorate";
      };
    };
  };
}
