# web5's disk, declared for disko: an EFI system partition mounted at
# /boot and one ext4 partition for /. disko sets fileSystems from this file,
# so no other file of this host may set them.
#
# Only `pnpm gen install web5` (nixos-anywhere) partitions and formats
# the disk from this file, ERASING it. nixos-rebuild and Colmena never do: on
# an installed machine, changing this file changes fileSystems, not the disk.
{
  disko.devices.disk.main = {
    type = "disk";
    # The whole disk, by a name that does not change between boots
    # (`ls -l /dev/disk/by-id` on the machine lists them).
    device = "/dev/nvme0n1";
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
        root = {
          size = "100%";
          content = {
            type = "filesystem";
            format = "ext4";
            mountpoint = "/";
          };
        };
      };
    };
  };
}
