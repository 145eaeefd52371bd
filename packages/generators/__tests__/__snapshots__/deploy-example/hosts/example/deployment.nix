# How Colmena reaches example, and its tags (`colmena apply --on @<tag>`).
# Only flake.nix's colmenaHive reads this file: Colmena's deployment options
# exist there, not in nixosConfigurations. `pnpm gen deploy example`
# rewrites it.
{
  deployment = {
    targetHost = "192.0.2.7";
    targetUser = "root";
    tags = [ "lab" ];
  };
}
