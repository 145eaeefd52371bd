// A stand-in nixos-anywhere for gen install's tests, put first on PATH: it
// records its arguments and what --extra-files and the passphrase file hold
// (modes, the key's public half, the passphrase's hash) into a folder outside
// the repository, writes facter.json as the real one does, then succeeds,
// fails, kills itself or waits (exec'd, so a signal reaches the waiting
// process itself), as STANDIN_MODE asks.
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const PASSPHRASE = "correct horse battery staple";

export const STAND_IN = `#!/bin/sh
# Stand-in nixos-anywhere: records, then does what $STANDIN_MODE says.
rec="$STANDIN_RECORD"
for a in "$@"; do printf '%s\\n' "$a"; done > "$rec/args"
extra=""; pass=""; facter=""
while [ $# -gt 0 ]; do
  case "$1" in
    --extra-files) extra="$2"; shift ;;
    --disk-encryption-keys) pass="$3"; shift 2 ;;
    --generate-hardware-config) facter="$3"; shift 2 ;;
  esac
  shift
done
printf '%s\\n' "$extra" > "$rec/extra-dir"
printf '%s\\n' "$pass" > "$rec/pass-file"
stat -c '%a %n' "$extra" "$extra/etc" "$extra/etc/ssh" "$extra/etc/ssh/ssh_host_ed25519_key" > "$rec/modes"
(cd "$extra" && find . | sort) > "$rec/extra-list"
ssh-keygen -y -f "$extra/etc/ssh/ssh_host_ed25519_key" > "$rec/derived.pub"
# The test's own copy, outside the repository, to decrypt the re-keyed secrets with.
cp "$extra/etc/ssh/ssh_host_ed25519_key" "$rec/hostkey"
if [ -n "$pass" ]; then stat -c '%a' "$pass" > "$rec/pass-mode"; sha256sum < "$pass" | cut -d' ' -f1 > "$rec/pass-sha"; fi
mkdir -p "$(dirname "$facter")" && printf '{"version":1}\\n' > "$facter"
# As the real one does, so that the flake sees the new file.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then git add --intent-to-add --force -- "$facter"; fi
case "$STANDIN_MODE" in
  fail) exit 1 ;;
  kill) kill -9 $$ ;;
  wait) touch "$rec/waiting"; exec sleep 30 ;;
esac
exit 0
`;

export function standIn(mode: "ok" | "fail" | "kill" | "wait", tempDir: (prefix: string) => string) {
  const bin = tempDir("standin-bin-");
  const record = tempDir("standin-record-");
  writeFileSync(join(bin, "nixos-anywhere"), STAND_IN);
  chmodSync(join(bin, "nixos-anywhere"), 0o755);
  const secrets = tempDir("passphrase-");
  const passFile = join(secrets, "pass");
  writeFileSync(passFile, PASSPHRASE + "\n");
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, STANDIN_RECORD: record, STANDIN_MODE: mode };
  const read = (name: string) => readFileSync(join(record, name), "utf8");
  return { bin, record, env, passFile, read };
}

