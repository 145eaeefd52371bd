// gen secret's planner with real keys (ssh-keygen at test time, never a
// fixture) and the real age: what it encrypts decrypts to the exact bytes,
// re-keys follow the hosts, removal gives the tree back, refusals are one
// line with the tree unchanged, and the value is nowhere on disk.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPlan, checkPlan, formatPlan, fsRepo, planHost, Tree, type Plan } from "../src/index.js";
import { parseHostKey } from "../src/generators/secret/host-key.js";
import { planSecret, type SecretIO } from "../src/generators/secret/plan.js";
import { planRemoveSecret, removeHostFromSecrets } from "../src/generators/secret/remove.js";
import { readRules } from "../src/generators/secret/rules.js";
import { applyInMemory, readTree, starterFiles, starterRepos } from "./helpers.js";

const started = Date.now();
const VALUE = Buffer.from(`hunter2-${randomUUID()}`); // unique, so a grep of /tmp finds only this run's leaks
let keys: string;
const key = (name: string) => join(keys, name);

function keygen(name: string, type = "ed25519"): void {
  // RSA at 2048 bits, the least age takes: a 3072-bit key (ssh-keygen's default) costs half a CPU-second to make.
  const bits = type === "rsa" ? ["-b", "2048"] : [];
  const run = spawnSync("ssh-keygen", ["-q", "-t", type, ...bits, "-N", "", "-C", `${name}@test`, "-f", key(name)]);
  if (run.status !== 0) throw new Error(String(run.stderr));
}

function decrypt(file: string, identity: string): Buffer | undefined {
  const run = spawnSync("age", ["-d", "-i", key(identity), file]);
  return run.status === 0 ? run.stdout : undefined;
}

beforeAll(() => {
  keys = mkdtempSync(join(tmpdir(), "gen-secret-keys-"));
  for (const n of ["web1", "web2", "mac1", "admin", "stranger"]) keygen(n);
  keygen("rsa", "rsa");
});
afterAll(() => rmSync(keys, { recursive: true, force: true }));

const repos = starterRepos();

/** The starter with NixOS hosts web1, web2 and a Mac mac1, each with its host key committed. */
function fleet(): string {
  let files = starterFiles();
  for (const [name, system] of [["web1", "x86_64-linux"], ["web2", "x86_64-linux"], ["mac1", "aarch64-darwin"]] as const) {
    files = applyInMemory(files, planHost(new Tree(memoryOf(files)), { name, system, users: [] } as never));
    files[`hosts/${name}/ssh_host_ed25519_key.pub`] = readFileSync(key(`${name}.pub`), "utf8");
  }
  return repos(files);
}

function memoryOf(files: Record<string, string>) {
  const dir = repos(files);
  return fsRepo(dir);
}

function io(root: string, value: Buffer | (() => Buffer) = VALUE): SecretIO {
  return { root, cwd: keys, home: join(keys, "home"), readValue: () => Buffer.from(typeof value === "function" ? value() : value) };
}

function apply(root: string, plan: Plan): void {
  checkPlan(plan, root); // as a run does: the edited .nix files parse
  applyPlan(plan, root);
}

const add = (root: string, answers: Record<string, unknown>, value?: Buffer) =>
  apply(root, planSecret(fsRepo(root), { name: "wifi", hosts: ["web1"], ...answers } as never, io(root, value)));

/** Every file below `dir` (tmpdir: only those changed since this test file started) whose bytes hold the value. */
function holders(dir: string, since = 0): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const abs = join(d, e.name);
      try {
        if (e.isDirectory()) {
          if (e.name !== "node_modules" && e.name !== ".git") walk(abs);
        } else if (e.isFile() && statSync(abs).mtimeMs >= since && statSync(abs).size < 4_000_000 && readFileSync(abs).includes(VALUE)) out.push(abs);
      } catch {
        // Another process's file, gone or unreadable: not ours.
      }
    }
  };
  walk(dir);
  return out;
}

describe("gen secret", () => {
  it("encrypts to the host and the admin: age -d gives back the exact bytes, and no file holds the value", () => {
    const root = fleet();
    const value = Buffer.concat([VALUE, Buffer.from("\n\n")]); // trailing newlines stay as given
    add(root, { adminKeyFile: "admin.pub", owner: "alice", mode: "0440" }, value);
    expect(decrypt(join(root, "secrets/wifi.age"), "web1")).toEqual(value);
    expect(decrypt(join(root, "secrets/wifi.age"), "admin")).toEqual(value);
    expect(decrypt(join(root, "secrets/wifi.age"), "web2")).toBeUndefined();
    const rules = readRules(readFileSync(join(root, "secrets/secrets.nix"), "utf8"));
    if ("reason" in rules) throw new Error(rules.reason);
    expect(rules.admins).toEqual([readFileSync(key("admin.pub"), "utf8").split(" ").slice(0, 2).join(" ")]);
    expect(readFileSync(join(root, "secrets/secrets.nix"), "utf8")).toContain(`"wifi.age" = {\n    publicKeys = admins ++ [ web1 ];\n    armor = true;\n  };`);
    const config = readFileSync(join(root, "hosts/web1/configuration.nix"), "utf8");
    expect(config).toContain(`  age.secrets.wifi = {\n    file = ../../secrets/wifi.age;\n    owner = "alice";\n    mode = "0440";\n  };\n`);
    expect(readFileSync(join(root, "hosts/web2/configuration.nix"), "utf8")).not.toContain("age.secrets");
    expect(holders(root)).toEqual([]);
    expect(holders(tmpdir(), started)).toEqual([]);
  });

  it("without owner and mode writes only file (agenix's root and 0400 apply), on a Mac too", () => {
    const root = fleet();
    add(root, { hosts: ["mac1"], adminKeyFile: "admin.pub" });
    expect(readFileSync(join(root, "hosts/mac1/configuration.nix"), "utf8")).toMatch(/age\.secrets\.wifi = \{\n\s+file = \.\.\/\.\.\/secrets\/wifi\.age;\n\s+\};/);
    expect(decrypt(join(root, "secrets/wifi.age"), "mac1")).toEqual(VALUE);
  });

  it("re-keys to a second host with the same value, and gen remove host takes it out again", () => {
    const root = fleet();
    add(root, { adminKeyFile: "admin.pub" });
    const noValue = () => {
      throw new Error("a re-key must not ask for the value");
    };
    apply(root, planSecret(fsRepo(root), { name: "wifi", hosts: ["web1", "web2"], identity: "admin" }, io(root, noValue)));
    expect(decrypt(join(root, "secrets/wifi.age"), "web2")).toEqual(VALUE);
    expect(decrypt(join(root, "secrets/wifi.age"), "web1")).toEqual(VALUE);
    expect(readFileSync(join(root, "hosts/web2/configuration.nix"), "utf8")).toContain("age.secrets.wifi");

    const tree = new Tree(fsRepo(root));
    expect(removeHostFromSecrets(tree, fsRepo(root), "web2", { identity: "admin", cwd: keys, home: keys })).toEqual(["wifi"]);
    apply(root, { title: "Remove host web2", changes: tree.changes(), nextSteps: [] });
    expect(decrypt(join(root, "secrets/wifi.age"), "web2")).toBeUndefined();
    expect(decrypt(join(root, "secrets/wifi.age"), "web1")).toEqual(VALUE);
    const rules = readFileSync(join(root, "secrets/secrets.nix"), "utf8");
    expect(rules).toContain("publicKeys = admins ++ [ web1 ];");
    expect(rules).not.toMatch(/^\s*web2 =/m);
  });

  it("re-run with fewer hosts takes the secret out of the dropped host's configuration", () => {
    const root = fleet();
    add(root, { hosts: ["web1", "web2"], adminKeyFile: "admin.pub" });
    apply(root, planSecret(fsRepo(root), { name: "wifi", hosts: ["web2"], identity: "admin" }, io(root)));
    expect(decrypt(join(root, "secrets/wifi.age"), "web1")).toBeUndefined();
    expect(decrypt(join(root, "secrets/wifi.age"), "web2")).toEqual(VALUE);
    expect(readFileSync(join(root, "hosts/web1/configuration.nix"), "utf8")).not.toContain("age.secrets");
  });

  it("--rotate takes a new value; the same hosts again changes nothing", () => {
    const root = fleet();
    add(root, { adminKeyFile: "admin.pub" });
    expect(planSecret(fsRepo(root), { name: "wifi", hosts: ["web1"] }, io(root)).changes).toEqual([]);
    const fresh = Buffer.from("new-value");
    apply(root, planSecret(fsRepo(root), { name: "wifi", hosts: ["web1"], rotate: true }, io(root, fresh)));
    expect(decrypt(join(root, "secrets/wifi.age"), "web1")).toEqual(fresh);
  });

  it("adding then removing a secret gives the tree back byte for byte (the first one, and one beside another)", () => {
    const root = fleet();
    const before = readTree(root);
    add(root, { hosts: ["web1", "mac1"], adminKeyFile: "admin.pub", owner: "alice" });
    apply(root, planRemoveSecret(fsRepo(root), { name: "wifi" }));
    expect(readTree(root)).toEqual(before);

    apply(root, planSecret(fsRepo(root), { name: "token", hosts: ["web2"], adminKeyFile: "admin.pub" }, io(root)));
    const withOne = readTree(root);
    add(root, { hosts: ["web1", "web2"], mode: "0400" });
    apply(root, planRemoveSecret(fsRepo(root), { name: "wifi" }));
    expect(readTree(root)).toEqual(withOne);
  });

  it("writes rules the agenix CLI reads: its own nix-instantiate query gives each rule's keys", () => {
    const root = fleet();
    add(root, { name: "wifi.psk", hosts: ["web1", "web2"], adminKeyFile: "admin.pub" });
    const pub = (n: string) => readFileSync(key(`${n}.pub`), "utf8").split(" ").slice(0, 2).join(" ");
    // pkgs/agenix.sh's `keys`, run in secrets/ as agenix is.
    const run = spawnSync("nix-instantiate", ["--json", "--eval", "--strict", "-E", '(let rules = import ./secrets.nix; in rules."wifi.psk.age".publicKeys)'], { cwd: join(root, "secrets"), encoding: "utf8" });
    expect(JSON.parse(run.stdout)).toEqual([pub("admin"), pub("web1"), pub("web2")]);
    expect(readFileSync(join(root, "hosts/web1/configuration.nix"), "utf8")).toContain('config.age.secrets."wifi.psk".path');
  });

  it("keeps a hand-edited rules file's other bytes, a user's key in a rule, and takes a second admin", () => {
    const root = fleet();
    add(root, { adminKeyFile: "admin.pub" });
    const path = join(root, "secrets/secrets.nix");
    const edited = readFileSync(path, "utf8")
      .replace("in\n", `  # Alice reads the Wi-Fi password on her laptop.\n  alice = "${readFileSync(key("stranger.pub"), "utf8").trim().split(" ").slice(0, 2).join(" ")}";\nin\n`)
      .replace("admins ++ [ web1 ]", "admins ++ [ alice web1 ]");
    writeFileSync(path, edited);
    apply(root, planSecret(fsRepo(root), { name: "wifi", hosts: ["web1", "web2"], identity: "admin", adminKeyFile: "web1.pub" }, io(root)));
    const after = readFileSync(path, "utf8");
    expect(after).toContain("  # Alice reads the Wi-Fi password on her laptop.\n");
    expect(after).toContain("publicKeys = admins ++ [ alice web1 web2 ];");
    expect(after).toContain("admins = [ admin admin2 ];");
    for (const who of ["stranger", "web2", "admin"]) expect(decrypt(join(root, "secrets/wifi.age"), who)).toEqual(VALUE);
  });

  it("reads host keys from a .pub file or ssh-keyscan output, and refuses others with the command that prints the right one", () => {
    const pub = readFileSync(key("web1.pub"), "utf8");
    const bare = pub.split(" ").slice(0, 2).join(" ");
    expect(parseHostKey(pub, "web1", "F")).toBe(bare);
    expect(parseHostKey(`# web1:22 SSH-2.0-OpenSSH_9.6\nweb1 ${bare}\n[web1]:2222 ${bare}\n`, "web1", "F")).toBe(bare);
    expect(parseHostKey(`web1 ${bare.slice(0, -8)}\n`, "web1", "F")).toEqual({ reason: expect.stringMatching(/damaged ssh-ed25519 key.*ssh-keyscan -t ed25519 web1/) });
    expect(parseHostKey(`web1 ${bare}\nweb2 ${readFileSync(key("web2.pub"), "utf8")}`, "web1", "F")).toEqual({ reason: expect.stringMatching(/2 different ssh-ed25519 keys/) });
    expect(parseHostKey("", "web1", "F")).toEqual({ reason: expect.stringMatching(/no SSH public key.*cat \/etc\/ssh\/ssh_host_ed25519_key\.pub/) });
  });

  it("the dry run's diff and the journal show ciphertext only", () => {
    const root = fleet();
    const plan = planSecret(fsRepo(root), { name: "wifi", hosts: ["web1"], adminKeyFile: "admin.pub" }, io(root));
    expect(JSON.stringify(plan)).not.toContain(VALUE.toString());
    expect(formatPlan(plan, true)).not.toContain(VALUE.toString());
    let journal = "";
    applyPlan(plan, root, { afterJournal: () => (journal = readFileSync(join(root, ".gen-journal.json"), "utf8")) });
    expect(journal).toContain("secrets/wifi.age");
    expect(journal).not.toContain(VALUE.toString());
    expect(plan.changes.find((c) => c.path === "secrets/wifi.age")?.after).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n/);
  });
});

describe("gen secret refuses in one line, the tree unchanged", () => {
  const refusals: Array<[string, (root: string) => Record<string, unknown>, RegExp, ((root: string) => void)?]> = [
    ["a host without a host key", () => ({ adminKeyFile: "admin.pub" }), /web1 has no host key.*pnpm gen deploy web1 --host-key-file F.*ssh-keyscan -t ed25519 web1/, (root) => rmSync(join(root, "hosts/web1/ssh_host_ed25519_key.pub"))],
    ["an RSA host key", () => ({ adminKeyFile: "admin.pub" }), /ssh-rsa key, and only ssh-ed25519.*ssh-keyscan -t ed25519 web1.*cat \/etc\/ssh\/ssh_host_ed25519_key\.pub/, (root) => writeFileSync(join(root, "hosts/web1/ssh_host_ed25519_key.pub"), readFileSync(key("rsa.pub")))],
    ["ssh-keyscan output of another type", () => ({ adminKeyFile: "admin.pub" }), /ecdsa-sha2-nistp256 key/, (root) => writeFileSync(join(root, "hosts/web1/ssh_host_ed25519_key.pub"), "web1 ecdsa-sha2-nistp256 AAAAE2VjZHNh\n")],
    ["a value file inside the repository", (root) => ({ adminKeyFile: "admin.pub", valueFile: join(root, "value.txt") }), /inside the repository/, (root) => writeFileSync(join(root, "value.txt"), VALUE)],
    ["a secret name that is not a safe file name", () => ({ name: "../etc/passwd", adminKeyFile: "admin.pub" }), /not a safe file name/],
    ["a mode that is not one", () => ({ mode: "rw", adminKeyFile: "admin.pub" }), /not a file mode.*0400/],
    ["the first secret without an admin key", () => ({}), /--admin-key-file ~\/\.ssh\/id_ed25519\.pub/],
    ["a host that is not one", () => ({ hosts: ["db9"], adminKeyFile: "admin.pub" }), /no host "db9"/],
  ];
  for (const [what, answers, message, setup] of refusals) {
    it(what, () => {
      const root = fleet();
      setup?.(root);
      const before = readTree(root);
      let error: unknown;
      try {
        add(root, answers(root));
      } catch (e) {
        error = e;
      }
      expect((error as Error).name).toBe("GenError");
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("\n");
      expect((error as Error).message).not.toContain(VALUE.toString());
      expect(readTree(root)).toEqual(before);
    });
  }

  it("re-encrypting without an identity that decrypts (none at the default path, then a stranger's key)", () => {
    const root = fleet();
    add(root, { adminKeyFile: "admin.pub" });
    const before = readTree(root);
    const rekey = (identity?: string) => () => planSecret(fsRepo(root), { name: "wifi", hosts: ["web1", "web2"], identity }, io(root));
    expect(rekey()).toThrow(/There is no private key at .*id_ed25519.*--identity/);
    expect(rekey("stranger")).toThrow(/stranger does not decrypt secrets\/wifi\.age.*--identity/);
    const tree = new Tree(fsRepo(root));
    expect(() => removeHostFromSecrets(tree, fsRepo(root), "web1", { identity: "stranger", cwd: keys, home: keys })).toThrow(/--identity/);
    expect(readTree(root)).toEqual(before);
  });
});
