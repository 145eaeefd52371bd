# web5's disk, declared for disko: an EFI system partition mounted at
# /boot and an encrypted (LUKS) partition holding ext4 for /. disko sets
# fileSystems and boot.initrd.luks.devices from this file, so no other file
# of this host may set them.
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
        luks = {
          size = "100%";
          content = {
            type = "luks";
            name = "cryptroot";
            # Read once, while installing: `pnpm gen install` copies the
            # passphrase there in the installer's RAM. No key file is set, so
            # the machine asks for the passphrase at every boot; it is stored
            # nowhere, in this repository or on the disk.
            passwordFile = "/tmp/disk.key";
            settings.allowDiscards = true;
            content = {
              type = "filesystem";
              format = "ext4";
              mountpoint = "/";
            };
          };
        };
      };
    };
  };
}
