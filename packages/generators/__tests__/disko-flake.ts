// The flake.nix change `gen host --disk` needs (not wired into the starter's
// flake.nix yet): a disko input that follows nixpkgs, and in hostModules
// disko's module plus the host's disk-config.nix when it has one. Tests
// apply it to a temp copy of the starter's flake.
export const DISKO_INPUT = `    # disko declares a host's disks (hosts/<host>/disk-config.nix);
    # \`pnpm gen install\` partitions them through nixos-anywhere.
    disko = {
      url = "github:nix-community/disko";
      inputs.nixpkgs.follows = "nixpkgs";
    };
`;

export const DISKO_MODULES = `        ]
        # A host with a disko layout: disko sets its fileSystems from it.
        ++ nixpkgs.lib.optionals (builtins.pathExists ./hosts/\${hostName}/disk-config.nix) [
          inputs.disko.nixosModules.disko
          ./hosts/\${hostName}/disk-config.nix
        ];`;

/** flake.nix with the disko input and modules added (throws when its shape is not the starter's). */
export function withDisko(flake: string): string {
  const inputsEnd = flake.indexOf("  };\n\n  outputs =");
  const modulesEnd = flake.indexOf("        ];\n\n      # One NixOS host, keeping");
  if (inputsEnd < 0 || modulesEnd < 0) throw new Error("flake.nix is not shaped like the starter's");
  return (
    flake.slice(0, inputsEnd) +
    DISKO_INPUT +
    flake.slice(inputsEnd, modulesEnd) +
    DISKO_MODULES +
    flake.slice(modulesEnd + "        ];".length)
  );
}
