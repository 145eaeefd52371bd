// SSH keys and admin rights: --ssh-key / --ssh-key-file reach
// users.users.<u>.openssh.authorizedKeys.keys, bad keys are refused by name,
// --admin / --no-admin decide wheel, and the next steps follow.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { nixAvailable, parseNixSources } from "@starter/nix-check";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { SSH_KEY_TYPES, checkSshKey, keysInFile, normalizeSshKey, shortKey } from "../src/answers/ssh-keys.js";
import { makeRepo, readTree, removeRepo, starterFiles } from "./helpers.js";

// Public keys made with ssh-keygen for these tests.
const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG8FCVWgrARbGQsaJRCuTy93fs9H54H5XMFm1JEasoc/ dan@laptop";
const ECDSA384 =
  "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBOE0hCbWiWX6zIBo69WFTgbnROiV6xwt5Jm/Ns0fIrxd0oJPhyxilMRmeVFfNC5vFWqk8ATwQUpeiKwsSfIQ4tE8XMAVl1qOfQt3K7ncCSomb9zkAivWO7h4IerCpYSq2g==";
const RSA =
  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDNBXgg0wI/iLmuxuWnAmmwjOo/l39os5X39gczIbzJDtRPpglp1mCOlzh2KcOtXGucI8enhElrtbJs3OTJG79VpSCroAK+MvpYFryCb3Tbb1swSAIQaqjWqbDmuCN1OXWSgchsfyiTAy5Mi2jQwVdJ5FXhR2qbriyqfu4cIcTygw== rsa key";

/** A key of `type` whose body starts with `embedded` (its own type, unless testing a mismatch). */
function made(type: string, embedded = type, comment = ""): string {
  const name = Buffer.from(embedded, "latin1");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  const body = Buffer.concat([length, name, Buffer.alloc(4), Buffer.alloc(32, 7)]).toString("base64");
  return `${type} ${body}${comment ? ` ${comment}` : ""}`;
}

describe("checkSshKey", () => {
  it.each([ED25519, ECDSA384, RSA, ...SSH_KEY_TYPES.map((t) => made(t, t, "me@host"))])("accepts %s", (key) => {
    expect(checkSshKey(key)).toBeUndefined();
  });

  it("accepts a key without a comment, and one with surrounding spaces", () => {
    expect(checkSshKey(ED25519.replace(" dan@laptop", ""))).toBeUndefined();
    expect(checkSshKey(`  ${ED25519}\n`)).toBeUndefined();
    expect(normalizeSshKey(`  ssh-ed25519\t AAAA  a  b `)).toBe("ssh-ed25519 AAAA a b");
  });

  it.each([
    ["not a key", /SSH key "not a key" is not an SSH public key/],
    ["", /is not an SSH public key/],
    ["ssh-dss AAAAB3NzaC1kc3MAAACBAP", /"ssh-dss AAAAB3NzaC1kc3MAAACBAP" is not an SSH public key/],
    ["ssh-ed25519", /has no valid base64 body after ssh-ed25519/],
    ["ssh-ed25519 not*base64 x", /has no valid base64 body/],
    ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG8FCVW", /has no valid base64 body/], // cut short: not a multiple of 4
    ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG8FCVWg", /is damaged/], // cut short at a multiple of 4
    [made("ssh-ed25519", "ssh-rsa"), /is damaged \(its body is not a whole ssh-ed25519 key\): copy the whole line/],
    ["ssh-ed25519 AAAA", /is damaged/],
    [`${ED25519}\nssh-rsa AAAA`, /spans several lines/],
  ])("refuses %j, naming the key", (key, reason) => {
    expect(checkSshKey(key)).toMatch(reason);
  });

  it("names a long key by its start and end", () => {
    expect(shortKey(ED25519)).toBe("ssh-ed25519 AAAAC3NzaC1l…/ dan@laptop");
    expect(checkSshKey(made("ssh-ed25519", "ssh-rsa", "x@y"))).toContain('"ssh-ed25519 AAAAB3NzaC1y…');
  });

  it("reads the keys of a .pub or authorized_keys file", () => {
    expect(keysInFile(`# mine\n${ED25519}\n\n${RSA}\r\n`)).toEqual([ED25519, RSA]);
  });
});

describe("gen user --ssh-key, --ssh-key-file, --admin", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeRepo));
  const repo = () => {
    const dir = makeRepo(starterFiles());
    dirs.push(dir);
    return dir;
  };
  async function gen(args: string[], cwd: string) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false, cwd });
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  }

  it("a key given as a flag reaches authorizedKeys.keys, and no passwd step is given", async () => {
    const dir = repo();
    const result = await gen(["user", "dan", "--host", "example", "--ssh-key", ED25519], dir);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const config = readTree(dir)["hosts/example/configuration.nix"]!;
    expect(config).toContain(`    openssh.authorizedKeys.keys = [\n      "${ED25519}"\n    ];`);
    expect(config).toMatch(/users\.users\.dan = \{[^}]*extraGroups = \[\s*"wheel"\s*"networkmanager"\s*\];/);
    expect(result.stdout).toContain("Log in as dan on example over SSH with the key given: ssh dan@example (password logins over SSH are off");
    expect(result.stdout).not.toContain("passwd");
    if (nixAvailable()) expect(parseNixSources([{ path: "configuration.nix", content: config }])).toEqual({ ok: true });
  });

  it("keys from files and flags are all written, once each, in order", async () => {
    const dir = repo();
    writeFileSync(join(dir, "keys.pub"), `# laptop and server\n${RSA}\n${ED25519}\n`);
    const result = await gen(["user", "dan", "--host", "example", "--ssh-key", ED25519, "--ssh-key", ECDSA384, "--ssh-key-file", "keys.pub"], dir);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const config = readTree(dir)["hosts/example/configuration.nix"]!;
    expect(config).toContain(`openssh.authorizedKeys.keys = [\n      "${ED25519}"\n      "${ECDSA384}"\n      "${RSA}"\n    ];`);
    expect(result.stdout).toContain("with the keys given");
  });

  it("--no-admin leaves wheel out, and the next steps say so; without keys they say how to log in", async () => {
    const dir = repo();
    const result = await gen(["user", "dan", "--host", "example", "--no-admin"], dir);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const config = readTree(dir)["hosts/example/configuration.nix"]!;
    expect(config).toMatch(/users\.users\.dan = \{[^}]*extraGroups = \[ "networkmanager" \];/);
    expect(config).not.toMatch(/users\.users\.dan = \{[^}]*wheel/);
    expect(config).not.toMatch(/users\.users\.dan = \{[^}]*authorizedKeys/);
    expect(result.stdout).toContain("dan is not in wheel (no sudo)");
    expect(result.stdout).toContain("sudo passwd dan on example");
    expect(result.stdout).toContain("password logins are off");
  });

  it.each([
    [["--ssh-key", "not a key"], /^error: The SSH key "not a key" is not an SSH public key: /],
    [["--ssh-key", made("ssh-ed25519", "ssh-rsa", "dan@laptop")], /^error: The SSH key "ssh-ed25519 AAAAB3NzaC1y…[^"]*" is damaged/],
    [["--ssh-key-file", "missing.pub"], /^error: The SSH key file "missing.pub" cannot be read/],
    [["--ssh-key-file", "empty.pub"], /^error: The SSH key file "empty.pub" holds no key/],
    [["--ssh-key-file", "bad.pub"], /^error: In bad\.pub: The SSH key "ssh-rsa oops!" has no valid base64 body/],
    [["--admin", "--no-admin"], /^error: Both --admin and --no-admin are given: give one\.$/],
  ])("%j is refused with one line, and nothing is written", async (flags, message) => {
    const dir = repo();
    writeFileSync(join(dir, "empty.pub"), "# nothing here\n");
    writeFileSync(join(dir, "bad.pub"), `${ED25519}\nssh-rsa oops!\n`);
    const before = readTree(dir);
    const result = await gen(["user", "dan", "--host", "example", ...flags], dir);
    expect(result.code).toBe(1);
    expect(result.stderr.split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(readTree(dir)).toEqual(before);
  });
});
