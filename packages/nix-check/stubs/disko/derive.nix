# What disko's module sets from `disko.devices`, for the stub walker: called
# with the host's module records, returns { fileSystems, luks } or throws
# where disko's option types would.
records:
let
  pick = path: set:
    if path == [ ] then set
    else if builtins.isAttrs set && set ? ${builtins.head path} then pick (builtins.tail path) set.${builtins.head path}
    else { };
  # Every module's disko.devices.<kind>, merged by name (as the module system merges attrsOf).
  devices = kind: builtins.foldl' (acc: r: acc // pick [ "disko" "devices" kind ] r.value) { } records;
  disks = devices "disk";
  pools = devices "zpool";
  vgs = devices "lvm_vg";
  concatMapAttrs = f: set: builtins.concatLists (map (n: f n set.${n}) (builtins.attrNames set));
  isAbsolute = s: builtins.isString s && builtins.substring 0 1 s == "/";
  need = cond: msg: if cond then true else throw "disko: ${msg}";

  # One content (a partition's, a LUKS container's, a volume's) on `device`:
  # a list of { fileSystems } / { luks } pieces.
  contentOf = where: device: c:
    if c == null then [ ]
    else if !(c ? type) then throw "disko: ${where}.content has no type"
    else if c.type == "filesystem" then
      assert need (c ? format) "${where} is a filesystem without a format";
      (if c.mountpoint or null == null then [ ] else [
        { fileSystems.${c.mountpoint} = { inherit device; fsType = c.format; options = c.mountOptions or [ "defaults" ]; }; }
      ])
    else if c.type == "luks" then
      assert need (c ? name) "${where} is a luks container without a name";
      assert need (c.passwordFile or null == null || isAbsolute c.passwordFile) "${where}.passwordFile must be an absolute path";
      [ { luks.${c.name} = { inherit device; } // (c.settings or { }); } ]
      ++ contentOf "${where}.content" "/dev/mapper/${c.name}" (c.content or null)
    else if c.type == "btrfs" then
      concatMapAttrs (name: sv:
        if sv.mountpoint or null == null then [ ] else [
          { fileSystems.${sv.mountpoint} = { inherit device; fsType = "btrfs"; options = (sv.mountOptions or [ "defaults" ]) ++ [ "subvol=${name}" ]; }; }
        ]) (c.subvolumes or { })
      ++ (if c.mountpoint or null == null then [ ] else [ { fileSystems.${c.mountpoint} = { inherit device; fsType = "btrfs"; options = c.mountOptions or [ "defaults" ]; }; } ])
    else if c.type == "zfs" then
      assert need (pools ? ${c.pool or ""}) "${where} belongs to the zpool ${c.pool or "(none)"}, which disko.devices.zpool does not define";
      [ ]
    else if c.type == "lvm_pv" then
      assert need (vgs ? ${c.vg or ""}) "${where} belongs to the volume group ${c.vg or "(none)"}, which disko.devices.lvm_vg does not define";
      [ ]
    else if c.type == "swap" then [ ]
    else throw "disko: ${where} has the content type ${c.type}, which disko does not know";

  diskPieces = concatMapAttrs (name: d:
    assert need (d.type or "disk" == "disk") "disk.${name}.type must be \"disk\"";
    assert need (isAbsolute (d.device or null)) "disk.${name}.device must be an absolute path such as /dev/disk/by-id/…";
    assert need ((d.content or { }).type or null == "gpt") "disk.${name}: these layouts use a gpt partition table";
    concatMapAttrs (part: p:
      assert need (p ? size || p ? end) "disk.${name}.content.partitions.${part} has neither size nor end";
      contentOf "disk.${name}.content.partitions.${part}" "/dev/disk/by-partlabel/disk-${name}-${part}" (p.content or null))
      d.content.partitions) disks;

  zfsPieces = concatMapAttrs (pool: z:
    assert need (z.type or null == "zpool") "zpool.${pool}.type must be \"zpool\"";
    let legacy = o: (o.mountpoint or "") == "legacy"; in
    (if z.mountpoint or null == null || (z.rootFsOptions.mountpoint or "") == "none" then [ ] else [
      { fileSystems.${z.mountpoint} = { device = pool; fsType = "zfs"; options = [ "zfsutil" ]; }; }
    ])
    ++ concatMapAttrs (ds: v:
      assert need (builtins.elem (v.type or null) [ "zfs_fs" "zfs_volume" ]) "zpool.${pool}.datasets.${ds}.type must be zfs_fs or zfs_volume";
      if v.type == "zfs_volume" then contentOf "zpool.${pool}.datasets.${ds}" "/dev/zvol/${pool}/${ds}" (v.content or null)
      else if v.mountpoint or null == null || (v.options.mountpoint or "") == "none" then [ ]
      else [ { fileSystems.${v.mountpoint} = { device = "${pool}/${ds}"; fsType = "zfs"; options = if legacy (v.options or { }) then [ "defaults" ] else [ "zfsutil" ]; }; } ])
      (z.datasets or { })) pools;

  lvmPieces = concatMapAttrs (vg: g:
    concatMapAttrs (lv: l: contentOf "lvm_vg.${vg}.lvs.${lv}" "/dev/${vg}/${lv}" (l.content or null)) (g.lvs or { })) vgs;

  pieces = diskPieces ++ zfsPieces ++ lvmPieces;
  merged = key: builtins.foldl' (acc: p: acc // (p.${key} or { })) { } pieces;
in
# Like disko's module: no disks, no file systems (only building its script refuses that).
{
  fileSystems = merged "fileSystems";
  luks = merged "luks";
}
