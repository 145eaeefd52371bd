# Offline stand-in for Colmena (see ../nixpkgs/flake.nix). Its makeHive takes
# the hive as Colmena's does (meta.nixpkgs, meta.nodeNixpkgs,
# meta.specialArgs, meta.nodeSpecialArgs, defaults, one module or a list per
# node) and walks each node's modules with the stub walker, with Colmena's
# `deployment` options allowed and their defaults filled in. Nothing deploys.
{
  description = "Stub colmena for offline structure checks";

  # Always replaced through `inputs.nixpkgs.follows` by the flake under test.
  inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-26.05";

  outputs =
    { self, nixpkgs }:
    let
      walk = nixpkgs.lib._walk;
      reserved = [ "meta" "network" "defaults" ];
    in
    {
      lib.makeHive =
        rawHive:
        let
          hive = if builtins.isFunction rawHive then rawHive { } else rawHive;
          meta = hive.meta or { };
          nodeNames = builtins.filter (n: !(builtins.elem n reserved)) (builtins.attrNames hive);
          configsFor = name: let c = hive.${name}; in if builtins.isList c then c else [ c ];
          pkgsFor = name: (meta.nodeNixpkgs or { }).${name} or meta.nixpkgs or (throw "meta.nixpkgs must be specified in hermetic mode.");
          evalNode =
            name:
            let
              pkgs = pkgsFor name;
              tree = walk.evalTree {
                modules = [ (hive.defaults or { }) ] ++ configsFor name;
                # A NixOS node: nix-darwin's settings are refused, Colmena's deployment options are not.
                foreign = walk.darwinOnly;
                args = { inherit name pkgs; nodes = nodes; lib = nixpkgs.lib; modulesPath = "${nixpkgs}/nixos/modules"; }
                  // (meta.specialArgs or { }) // ((meta.nodeSpecialArgs or { }).${name} or { });
              };
              at = path: default: let v = walk.lastAt path tree.records; in if v == null then default else v;
            in
            tree // {
              # Which nixpkgs Colmena built the node with (meta.nixpkgs or meta.nodeNixpkgs).
              nixpkgsSystem = pkgs.system;
              config = tree.config // {
                # Colmena's defaults: the node's own name, root, port from ssh_config.
                deployment = {
                  targetHost = at [ "deployment" "targetHost" ] name;
                  targetUser = at [ "deployment" "targetUser" ] "root";
                  targetPort = at [ "deployment" "targetPort" ] null;
                  tags = builtins.concatMap (r: walk.attrByPath [ "deployment" "tags" ] [ ] r.value) tree.records;
                  buildOnTarget = at [ "deployment" "buildOnTarget" ] false;
                };
              };
            };
          nodes = builtins.listToAttrs (map (name: { inherit name; value = evalNode name; }) nodeNames);
        in
        {
          __schema = "v0.5";
          inherit nodes;
          toplevel = builtins.mapAttrs (_: n: n.config.system.build.toplevel) nodes;
          deploymentConfig = builtins.mapAttrs (_: n: n.config.deployment) nodes;
        };
    };
}
