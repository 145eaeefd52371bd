# web5's disks, declared for disko: a ZFS pool mirrored across two
# disks, with datasets for /, /home and /nix, and an EFI system partition on
# the first disk mounted at /boot (if that disk dies, the pool and its data
# live on, but the machine boots again only once a new ESP is made). disko
# sets fileSystems from this file, so no other file of this host may set them.
#
# Only `pnpm gen install web5` (nixos-anywhere) partitions and formats
# the disks from this file, ERASING both. nixos-rebuild and Colmena never do:
# on an installed machine, changing this file changes fileSystems, not the disks.
{
  # ZFS refuses to import a pool on another machine's hostId. This one is
  # the first 8 hex digits of sha256("web5"): fixed for this host, and
  # different for each host name. Keep it once the machine is installed.
  networking.hostId = "ff38aec0";

  disko.devices = {
    disk = {
      first = {
        type = "disk";
        # Whole disks, by names that do not change between boots
        # (`ls -l /dev/disk/by-id` on the machine lists them).
        device = "/dev/disk/by-id/nvme-A";
        content = {
          type = "gpt";
          partitions = {
            ESP = {
              type = "EF00";
              size = "1G";
              content = {
                type = "filesystem";
                format = "vfat";
                mountpoint = "/boot";
                mountOptions = [ "umask=0077" ];
              };
            };
            zfs = {
              size = "100%";
              content = {
                type = "zfs";
                pool = "zroot";
              };
            };
          };
        };
      };
      second = {
        type = "disk";
        device = "/dev/disk/by-id/nvme-B";
        content = {
          type = "gpt";
          partitions = {
            # Room for a spare ESP, should the first disk die: format it
            # (mkfs.vfat) and copy /boot onto it.
            reserved = {
              size = "1G";
            };
            zfs = {
              size = "100%";
              content = {
                type = "zfs";
                pool = "zroot";
              };
            };
          };
        };
      };
    };
    zpool.zroot = {
      type = "zpool";
      mode = "mirror";
      options.ashift = "12";
      rootFsOptions = {
        compression = "zstd";
        acltype = "posixacl";
        xattr = "sa";
        mountpoint = "none";
        "com.sun:auto-snapshot" = "false";
      };
      # Mounted by NixOS (legacy), like a hand-made NixOS ZFS install.
      datasets = {
        root = {
          type = "zfs_fs";
          mountpoint = "/";
          options.mountpoint = "legacy";
        };
        home = {
          type = "zfs_fs";
          mountpoint = "/home";
          options.mountpoint = "legacy";
        };
        nix = {
          type = "zfs_fs";
          mountpoint = "/nix";
          options.mountpoint = "legacy";
        };
      };
    };
  };
}
