// The fork check's secrets part, on small forks with agenix as an input:
// keys made by ssh-keygen here, files encrypted by the real age, each fork
// broken in one way and the problem named.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { checkFork, checkSecrets, copyFlakeTree, evalSecretUses, evalWithStubs } from "../src/index.js";

let keys: string;
const pub = (n: string) => readFileSync(join(keys, `${n}.pub`), "utf8").split(" ").slice(0, 2).join(" ");
beforeAll(() => {
  keys = mkdtempSync(join(tmpdir(), "secrets-check-keys-"));
  for (const n of ["web1", "web2", "mac1", "admin", "stranger"]) spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(keys, n)]);
});
afterAll(() => rmSync(keys, { recursive: true, force: true }));
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const encrypt = (to: string[]) => spawnSync("age", ["-e", "-a", ...to.flatMap((k) => ["-r", pub(k)])], { input: "hunter2" }).stdout.toString();

const use = (name: string, extra = "") => `{ age.secrets.${name} = { file = ../../secrets/${name}.age;${extra} }; }`;

/** web1 and web2 (NixOS) and mac1 (a Mac), each with its host key; `wifi` for web1 and mac1. */
function fork(edit: (files: Record<string, string>) => void = () => {}, agenixModule = true): string {
  const dir = mkdtempSync(join(tmpdir(), "fork-secrets-"));
  dirs.push(dir);
  const mod = (kind: string) => (agenixModule ? `agenix.${kind}.default` : "");
  const files: Record<string, string> = {
    "flake.nix": `{
  inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-26.05";
  inputs.nix-darwin.url = "github:nix-darwin/nix-darwin/nix-darwin-26.05";
  inputs.nix-darwin.inputs.nixpkgs.follows = "nixpkgs";
  inputs.agenix.url = "github:ryantm/agenix";
  inputs.agenix.inputs.nixpkgs.follows = "nixpkgs";
  outputs = { nixpkgs, nix-darwin, agenix, ... }: {
    nixosConfigurations = nixpkgs.lib.genAttrs [ "web1" "web2" ] (h: nixpkgs.lib.nixosSystem { modules = [ ./hosts/\${h}/configuration.nix ${mod("nixosModules")} ]; });
    darwinConfigurations.mac1 = nix-darwin.lib.darwinSystem { modules = [ ./hosts/mac1/configuration.nix ${mod("darwinModules")} ]; };
  };
}
`,
    "hosts/web1/configuration.nix": use("wifi", ` owner = "alice"; mode = "0440";`),
    "hosts/web2/configuration.nix": "{ }",
    "hosts/mac1/configuration.nix": use("wifi"),
    "secrets/secrets.nix": `let
  admin = "${pub("admin")}";
  admins = [ admin ];
  web1 = "${pub("web1")}";
  mac1 = "${pub("mac1")}";
in
{
  "wifi.age" = {
    publicKeys = admins ++ [ web1 mac1 ];
    armor = true;
  };
}
`,
    "secrets/wifi.age": encrypt(["admin", "web1", "mac1"]),
  };
  for (const h of ["web1", "web2", "mac1"]) files[`hosts/${h}/ssh_host_ed25519_key.pub`] = readFileSync(join(keys, `${h}.pub`), "utf8");
  edit(files);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const problems = (dir: string) => checkSecrets(dir, evalSecretUses(dir)).map((p) => `${p.file}: ${p.reason}`);

describe("checkSecrets", () => {
  it("passes a fork whose hosts use secrets encrypted to them, NixOS and Mac, with agenix's defaults filled in", () => {
    const dir = fork();
    expect(evalSecretUses(dir)).toEqual({ web1: { wifi: "secrets/wifi.age" }, web2: {}, mac1: { wifi: "secrets/wifi.age" } });
    expect(problems(dir)).toEqual([]);
    const copy = copyFlakeTree(dir);
    dirs.push(copy);
    const secret = (out: string) => evalWithStubs<Record<string, string>>(copy, `${out}.config.age.secrets.wifi`, { apply: "s: removeAttrs s [ \"file\" ]" });
    expect(secret("nixosConfigurations.web1")).toEqual({ name: "wifi", path: "/run/agenix/wifi", owner: "alice", mode: "0440", group: "0", symlink: true });
    expect(secret("darwinConfigurations.mac1")).toMatchObject({ owner: "0", mode: "0400" });
  });

  it("fails a file under secrets/ that is not an age file", () => {
    const dir = fork((f) => (f["secrets/notes.txt"] = "hunter2\n"));
    expect(problems(dir)).toEqual([expect.stringMatching(/^secrets\/notes\.txt: it is not an age file/)]);
    // The fork check (pnpm test) reports it too, from the hosts it evaluated.
    expect(checkFork(dir).problems.map((p) => p.file)).toEqual(["secrets/notes.txt"]);
  });

  it("fails a rule naming a key no host or admin has", () => {
    const dir = fork((f) => (f["secrets/secrets.nix"] = f["secrets/secrets.nix"]!.replace("web1 mac1 ]", `web1 mac1 "${pub("stranger")}" ]`)));
    expect(problems(dir)).toEqual([expect.stringMatching(/^secrets\/secrets\.nix: its rule "wifi\.age" names the key .*which no host .* or admin .* has/)]);
  });

  it("fails a host using a secret not encrypted to its key, by its rule or by the file's own header", () => {
    const web2 = fork((f) => (f["hosts/web2/configuration.nix"] = use("wifi")));
    expect(checkFork(web2).problems.map((p) => p.entry)).toEqual(["age.secrets.wifi of web2"]);
    expect(problems(web2)).toEqual([expect.stringMatching(/^secrets\/wifi\.age: web2 uses it, but it is not encrypted to web2's key: run pnpm gen secret wifi --host web2/)]);
    // The rule names mac1, but the file was encrypted before it did.
    expect(problems(fork((f) => (f["secrets/wifi.age"] = encrypt(["admin", "web1"]))))).toEqual([expect.stringMatching(/^secrets\/wifi\.age: mac1 uses it, but it is not encrypted to mac1's key \(its rule names the key: re-encrypt it\)/)]);
  });

  it("fails a host that sets age.secrets without agenix's module, or names a file that is not there", () => {
    expect(() => evalSecretUses(fork(() => {}, false))).toThrow(/hosts\/web1\/configuration\.nix sets age, but no module of this host declares it: add agenix\.nixosModules\.default/);
    const gone = fork((f) => delete f["secrets/wifi.age"]);
    expect(() => evalSecretUses(gone)).toThrow(/age\.secrets\.wifi\.file .*secrets\/wifi\.age does not exist/);
    expect(checkFork(gone).problems.map((p) => p.entry)).toEqual(["nixosConfigurations.web1", "darwinConfigurations.mac1"]);
  });
});
