# Who can decrypt each secret, in agenix's own rules format (the agenix CLI
# reads it too: `cd secrets && agenix -e <name>.age`). This file is never
# imported into a configuration. Admins may re-encrypt every secret; each
# host decrypts with its own /etc/ssh/ssh_host_ed25519_key. `pnpm gen
# secret` keeps it in step with the hosts.
let
  admin = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGxxb+mnxOuhTbXLcTipQLLuhEuZiU5UhFigblhPjWBy";
  admins = [ admin ];
  web1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINaOst4RO2IWbnZYQPoBWD/cRWnwZLL7HkC8pH+/yfC4";
in
{
  "wifi.age" = {
    publicKeys = admins ++ [ web1 ];
    armor = true;
  };
}
