# How Colmena reaches web2, and its tags (`colmena apply --on @<tag>`).
# Only flake.nix's colmenaHive reads this file: Colmena's deployment options
# exist there, not in nixosConfigurations. `pnpm gen deploy web2`
# rewrites it.
{
  deployment = {
    targetHost = "198.51.100.2";
    targetUser = "deploy";
    tags = [
      "web"
      "eu"
    ];
  };
}
