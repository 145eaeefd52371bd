# The module walker behind the stubs. A module is a path (imported), a
# function (called with the arguments it asks for, like the real module
# system does) or an attribute set; its `imports` are walked in turn.
# Values are never forced, so option values need no real packages.
let
  lib = {
    mkDefault = x: x;
    mkForce = x: x;
    mkOverride = _: x: x;
    mkIf = _: x: x;
    mkMerge = xs: builtins.foldl' (a: b: a // b) { } xs;
    mkBefore = x: x;
    mkAfter = x: x;
    optional = c: x: if c then [ x ] else [ ];
    optionals = c: xs: if c then xs else [ ];
    optionalAttrs = c: set: if c then set else { };
    genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
    getExe = p: "${p}/bin/${p.meta.mainProgram}";
    nameValuePair = name: value: { inherit name value; };
    mapAttrs' = f: set: builtins.listToAttrs (map (n: f n set.${n}) (builtins.attrNames set));
    filterAttrs = pred: set: builtins.removeAttrs set (builtins.filter (n: !(pred n set.${n})) (builtins.attrNames set));
  };

  isModulesPath = args: m:
    args ? modulesPath && builtins.substring 0 (builtins.stringLength args.modulesPath) (toString m) == args.modulesPath;

  # Turn one module into { file, value } records, imports included.
  collect = args: file: m:
    if builtins.isPath m || builtins.isString m then
      (if isModulesPath args m then [ ]
       else if !(builtins.pathExists m) then throw "module ${toString m} (imported from ${file}) does not exist"
       else collect args (toString m) (import m))
    else if builtins.isFunction m then
      collect args file (m (builtins.intersectAttrs (builtins.functionArgs m) args))
    else if builtins.isAttrs m then
      let
        # The full form { imports, options, config } or the shorthand one.
        body = if m ? config || m ? options then m.config or { } else m;
        imports = m.imports or [ ];
      in
      [ { inherit file; value = body; declares = m.options or { }; } ] ++ builtins.concatMap (collect args file) imports
    else
      throw "${file}: a module must be a path, a function or an attribute set, not a ${builtins.typeOf m}";

  # A package: enough for a dev shell or a formatter to be listed by its
  # pname (and interpolated into a path, as `${pkg}/bin/...`).
  stubPackage = system: pname: mainProgram: {
    inherit pname system;
    type = "derivation";
    outPath = "/nix/store/stub-${system}-${pname}";
    meta.mainProgram = mainProgram;
  };

  stubPkgs = system:
    let
      # A host's platform may be unset (null) in a broken tree: only a shell asks.
      isLinux = system != null && builtins.match ".*-linux" system != null;
      isDarwin = system != null && builtins.match ".*-darwin" system != null;
      pkg = stubPackage system;
      # The attributes the flake's dev shell and formatter use, with nixpkgs' pnames.
      packages = {
        nodejs_22 = pkg "nodejs" "node";
        age = pkg "age" "age";
        pnpm_10 = pkg "pnpm" "pnpm";
        git = pkg "git" "git";
        nixfmt = pkg "nixfmt" "nixfmt";
        nixfmt-tree = pkg "nixfmt-tree" "treefmt";
        chromium = pkg "chromium" "chromium";
        # For the dev shell's `gen install` (nixos-anywhere is not a flake input).
        nixos-anywhere = pkg "nixos-anywhere" "nixos-anywhere";
      };
    in
    packages // {
      inherit system;
      _stub = true;
      stdenv.hostPlatform = { inherit system isLinux isDarwin; };
      # Only what a dev shell's own definition says: its packages and environment.
      mkShell =
        { packages ? [ ], env ? { }, shellHook ? "", ... }:
        { _stub = true; _shell = true; inherit packages env shellHook; };
    }
    # nixpkgs builds Chromium for Linux only: a darwin shell that lists it must fail to evaluate.
    // (if isLinux then { } else { chromium = throw "chromium is not available on ${system}"; });

  namesAt = path: records:
    builtins.attrNames (builtins.foldl' (acc: r: acc // (attrByPath path { } r.value)) { } records);

  attrByPath = path: default: set:
    if path == [ ] then set
    else if builtins.isAttrs set && set ? ${builtins.head path} then attrByPath (builtins.tail path) default set.${builtins.head path}
    else default;

  lastAt = path: records:
    builtins.foldl' (acc: r: let v = attrByPath path null r.value; in if v == null then acc else v) null records;

  # Whether `set` defines `path`; "*" in the path matches any attribute.
  defines = path: set:
    if path == [ ] then true
    else if !(builtins.isAttrs set) then false
    else if builtins.head path == "*" then
      builtins.any (n: defines (builtins.tail path) set.${n}) (builtins.attrNames set)
    else set ? ${builtins.head path} && defines (builtins.tail path) set.${builtins.head path};

  # NixOS settings nix-darwin has no option for: a Mac's tree must not set them.
  nixosOnly = [
    [ "boot" ]
    [ "fileSystems" ]
    [ "swapDevices" ]
    [ "hardware" "facter" ]
    [ "disko" ]
    [ "networking" "networkmanager" ]
    [ "users" "users" "*" "isNormalUser" ]
    [ "users" "users" "*" "extraGroups" ]
  ];

  # nix-darwin settings NixOS has no option for: a NixOS host's tree must not set them.
  darwinOnly = [
    [ "system" "primaryUser" ]
    [ "system" "defaults" ]
    [ "homebrew" ]
  ];

  # Colmena's options, which only its hive declares: NixOS has no option for them.
  hiveOnly = [
    [ "deployment" ]
  ];

  # The first record that sets one of `paths`, as a message, or null.
  foreignIn = system: paths: records:
    let
      hits = builtins.concatMap (r: map (p: "${r.file} sets ${builtins.concatStringsSep "." p}, which ${system} has no option for")
        (builtins.filter (p: defines p r.value) paths)) records;
    in
    if hits == [ ] then null else builtins.head hits;

  # Options only a flake input's module declares (agenix's `age`): NixOS and
  # nix-darwin refuse them ("The option `age' does not exist") unless that
  # module is in the host's modules.
  inputOptions = [ { name = "age"; module = "agenix.nixosModules.default (agenix.darwinModules.default on a Mac)"; } ];

  undeclaredIn = records:
    let
      declared = builtins.foldl' (acc: r: acc // r.declares) { } records;
      hits = builtins.concatMap (o: map (r: "${r.file} sets ${o.name}, but no module of this host declares it: add ${o.module} to its modules")
        (builtins.filter (r: r.value ? ${o.name}) records)) (builtins.filter (o: !(declared ? ${o.name})) inputOptions);
    in
    if hits == [ ] then null else builtins.head hits;

  # age.secrets as agenix's modules/age.nix fills it: each secret's name, its
  # path under /run/agenix, mode "0400", owner and group "0" (root). A file
  # that does not exist fails, as agenix's build would.
  ageSecrets = records:
    let
      merged = builtins.foldl' (acc: r: acc // builtins.mapAttrs (n: v: (acc.${n} or { }) // v) (attrByPath [ "age" "secrets" ] { } r.value)) { } records;
      filled = name: s: { inherit name; path = "/run/agenix/${name}"; mode = "0400"; owner = "0"; group = "0"; symlink = true; } // s;
      checked = name: s:
        if !(s ? file) then throw "age.secrets.${name} has no `file` (the .age file it is decrypted from)"
        else if !(builtins.pathExists s.file) then throw "age.secrets.${name}.file ${toString s.file} does not exist"
        else filled name s;
    in
    builtins.mapAttrs checked merged;

  evalTree =
    { modules, args, foreign ? [ ], system ? "NixOS" }:
    let
      records = builtins.concatMap (collect (args // { config = { }; options = { }; }) "<flake>") modules;
      refused = let f = foreignIn system foreign records; in if f != null then f else undeclaredIn records;
      homeArgs = args // { config = { }; options = { }; osConfig = { }; };
      homeUsers = builtins.foldl' (acc: r: acc // (attrByPath [ "home-manager" "users" ] { } r.value)) { } records;
      platform = lastAt [ "nixpkgs" "hostPlatform" ] records;
      # Modules that compute settings from the others' (the disko stub's
      # _stub.derive), as the real ones read `config`; the walker has no config.
      derivers = builtins.filter (r: r.value ? _stub.derive) records;
      derived = map (r: r.value._stub.derive records) derivers;
      byHand = builtins.foldl' (acc: r: acc // attrByPath [ "fileSystems" ] { } r.value) { } records;
      fromModules = builtins.foldl' (acc: d: acc // (d.fileSystems or { })) { } derived;
      fileSystems = byHand // fromModules;
      clash = builtins.filter (m: byHand ? ${m}) (builtins.attrNames fromModules);
      withDisko = builtins.filter (r: defines [ "disko" ] r.value) records;
      reportPath = lastAt [ "hardware" "facter" "reportPath" ] records;
      hostId = lastAt [ "networking" "hostId" ] records;
      zfs = builtins.filter (m: (fileSystems.${m}.fsType or null) == "zfs") (builtins.attrNames fileSystems);
      # What NixOS itself would refuse of these, as the real evaluation does.
      problem =
        if withDisko != [ ] && derivers == [ ] then "${(builtins.head withDisko).file} sets disko, which NixOS has no option for without disko.nixosModules.disko in the host's modules"
        else if clash != [ ] then "fileSystems.\"${builtins.head clash}\" is set by hand and by disko (disk-config.nix): the option has conflicting definition values; let disko own the file systems"
        else if reportPath != null && !(builtins.pathExists reportPath) then "hardware.facter.reportPath is ${toString reportPath}, which does not exist"
        else if zfs != [ ] && hostId == null then "ZFS requires networking.hostId to be set (for ${builtins.head zfs})"
        else null;
    in
    if refused != null then throw refused else
    if problem != null then throw problem else
    {
      _stub = true;
      # What each module set, for evaluators built on this one (the Colmena stub).
      inherit records;
      # Files the tree was built from, in the order walked.
      files = map (r: r.file) records;
      pkgs = stubPkgs platform;
      config = {
        system.build.toplevel = "stub-toplevel";
        users.users = builtins.listToAttrs (map (n: { name = n; value = { home = lastAt [ "users" "users" n "home" ] records; }; }) (namesAt [ "users" "users" ] records));
        networking.hostName = lastAt [ "networking" "hostName" ] records;
        nixpkgs.hostPlatform = platform;
        system.stateVersion = lastAt [ "system" "stateVersion" ] records;
        # Each mount point as its last module set it (a hardware config's disks).
        inherit fileSystems;
        boot.initrd.luks.devices = builtins.foldl' (acc: d: acc // (d.luks or { })) { } derived;
        hardware.facter.reportPath = if reportPath == null then null else toString reportPath;
        networking.hostId = hostId;
        age.secrets = ageSecrets records;
        # Each integrated user's home modules, walked the same way.
        home-manager.users = builtins.mapAttrs (name: m: homeTree homeArgs m) homeUsers;
      };
    };

  homeTree =
    args: m:
    let records = collect args "<home-manager.users>" m;
    in
    {
      files = map (r: r.file) records;
      home.stateVersion = lastAt [ "home" "stateVersion" ] records;
      home.username = lastAt [ "home" "username" ] records;
      home.homeDirectory = lastAt [ "home" "homeDirectory" ] records;
      programs.git.settings.user = {
        name = lastAt [ "programs" "git" "settings" "user" "name" ] records;
        email = lastAt [ "programs" "git" "settings" "user" "email" ] records;
      };
    };
in
{
  inherit lib evalTree homeTree collect stubPkgs stubPackage nixosOnly darwinOnly hiveOnly lastAt attrByPath;
}
