// From repo to machines: gen host's --hardware-config, --target-host and
// --tag, gen deploy, and the colmenaHive they feed, evaluated with the stub
// colmena (nothing connects anywhere; every address is from the
// documentation ranges).
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { evalHive, evalHosts } from "@starter/nix-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  REFUSALS,
  SAMPLE_HARDWARE_CONFIG_PATH,
  checkTag,
  commandFor,
  memoryRepo,
  parseTarget,
  refusalMessage,
  sampleHardwareConfig,
} from "../src/index.js";
import { makeRepo, readTree, removeRepo, runMain, starterFiles } from "./helpers.js";

type Hive = ReturnType<typeof evalHive>;

describe("the must-show runs: web2 with a target and tags, web3 with its hardware config, example deployed", () => {
  let dir: string;
  let hive: Hive;
  let outputs: string[];
  beforeAll(async () => {
    dir = makeRepo(starterFiles());
    copyFileSync(SAMPLE_HARDWARE_CONFIG_PATH, join(dir, "hw.nix"));
    const runs = [
      ["host", "web2", "--user", "ann", "--target-host", "deploy@198.51.100.2", "--tag", "web", "--tag", "eu"],
      ["host", "web3", "--hardware-config", "hw.nix"],
      ["deploy", "example", "--target-host", "root@192.0.2.7", "--tag", "lab"],
    ];
    outputs = [];
    for (const args of runs) {
      const result = await runMain(args, dir);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      outputs.push(result.stdout);
    }
    hive = evalHive(dir);
  });
  afterAll(() => removeRepo(dir));

  it("puts every host in colmenaHive.nodes", () => {
    expect(Object.keys(hive).sort()).toEqual(["example", "web2", "web3"]);
  });

  it("gives web2 its target, user and tags, with its own settings and ann's home", () => {
    expect(hive.web2).toMatchObject({
      targetHost: "198.51.100.2",
      targetUser: "deploy",
      targetPort: null,
      tags: ["web", "eu"],
      hostName: "web2",
      platform: "x86_64-linux",
      nixpkgsSystem: "x86_64-linux",
      users: ["ann"],
      files: ["modules/nixos", "hosts/web2/configuration.nix", "hosts/web2/hardware-configuration.nix", "hosts/web2/deployment.nix"],
    });
    expect(hive.web2!.homeUsers.ann).toMatchObject({ stateVersion: "26.05", gitName: "ann" });
    // The shared pattern's home: the modules in modules/home.
    expect(hive.web2!.homeUsers.ann!.files).toContain("modules/home/git.nix");
  });

  it("writes web3's hardware config byte for byte, and its root device evaluates", () => {
    expect(readTree(dir)["hosts/web3/hardware-configuration.nix"]).toBe(sampleHardwareConfig());
    expect(hive.web3!.rootDevice).toBe("/dev/disk/by-uuid/3f1c9a52-7d4e-4b8a-9c61-2e5f0d8b7a14");
    expect(outputs[1]).not.toContain("replace the placeholder");
  });

  it("deploys a host without a target to its own name, as root", () => {
    expect(hive.web3).toMatchObject({ targetHost: "web3", targetUser: "root", tags: [], hostName: "web3" });
  });

  it("gives example, an existing host, its target and tag, and keeps alice's home", () => {
    expect(hive.example).toMatchObject({ targetHost: "192.0.2.7", targetUser: "root", tags: ["lab"], hostName: "example" });
    expect(Object.keys(hive.example!.homeUsers)).toEqual(["alice"]);
    expect(outputs[2]).toContain("nix run --inputs-from . colmena -- apply --on @lab");
  });

  it("builds each node from the modules its nixosConfigurations entry uses, which still evaluate on their own", () => {
    const hosts = evalHosts(dir);
    expect(Object.keys(hosts).sort()).toEqual(Object.keys(hive).sort());
    for (const [name, host] of Object.entries(hosts)) {
      const node = hive[name]!;
      // The hive adds only deployment.nix, which the NixOS stub (like NixOS) would refuse.
      expect(node.files.filter((f) => !f.endsWith("/deployment.nix"))).toEqual(host.files);
      expect({ ...node, files: undefined, rootDevice: undefined }).toMatchObject({ ...host, files: undefined });
    }
  });
});

describe("refusals leave the tree unchanged", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeRepo));
  const repo = () => {
    const dir = makeRepo(starterFiles());
    dirs.push(dir);
    return dir;
  };

  it.each([
    [["host", "web3", "--hardware-config", "missing.nix"], /The hardware config "missing\.nix" cannot be read/],
    [["host", "web3", "--hardware-config", "broken.nix"], /The hardware config "broken\.nix" is not valid Nix \(.* on line 4\)/],
    [["host", "web3", "--hardware-config", "list.nix"], /is not a NixOS module/],
    [["host", "web3", "--hardware-config", "arm.nix"], /says the machine is aarch64-linux, but the host's system is x86_64-linux: add --system aarch64-linux/],
    [["host", "web2", "--target-host", "-oProxyCommand=touch /tmp/owned"], /The value after --target-host starts with "-"/],
    [["host", "web2", "--target-host=-oProxyCommand=touch /tmp/owned"], /starts with "-", which ssh would read as an option/],
    [["host", "web2", "--target-host", "root@-oProxyCommand=x"], /address that starts with "-"/],
    [["host", "web2", "--target-host", "a b"], /has a space/],
    [["host", "web2", "--target-host", "root@"], /has no address after "@"/],
    [["host", "web2", "--target-host", "@198.51.100.2"], /empty user/],
    [["host", "web2", "--target-host", ""], /is empty/],
    [["host", "web2", "--target-host", "198.51.100.2:0"], /not a number from 1 to 65535/],
    [["host", "web2", "--target-host", "2001:db8::1:22x"], /neither|not a host name/],
    [["host", "web2", "--tag", "web,eu"], /The tag "web,eu" is not a simple name.*its own --tag/],
    [["host", "web2", "--tag", "web", "--tag", "web"], /listed twice/],
    [["deploy", "web9", "--target-host", "root@192.0.2.9"], /There is no host "web9"/],
    [["deploy", "example"], /Nothing to change for example/],
    [["deploy", "example", "--tag", "@web"], /not a simple name/],
    [["host", "mac1", "--system", "aarch64-darwin", "--tag", "web"], /--target-host and --tag are for NixOS hosts/],
  ])("%j", async (args, message) => {
    const dir = repo();
    writeFileSync(join(dir, "broken.nix"), "{ lib, ... }:\n{\n  fileSystems.\"/\".device = \"/dev/sda1\"\n}\n");
    writeFileSync(join(dir, "list.nix"), "[ ]\n");
    writeFileSync(join(dir, "arm.nix"), sampleHardwareConfig().replace('"x86_64-linux"', '"aarch64-linux"'));
    const before = readTree(dir);
    const result = await runMain(args, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: /);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(readTree(dir)).toEqual(before);
  });
});

describe("gen deploy on a host that has a deployment.nix", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeRepo));

  it("changes the tags and keeps the target, or the target and keeps the tags", async () => {
    const dir = makeRepo(starterFiles());
    dirs.push(dir);
    expect((await runMain(["deploy", "example", "--target-host", "admin@[2001:db8::7]:2222", "--tag", "lab"], dir)).code).toBe(0);
    expect((await runMain(["deploy", "example", "--tag", "web", "--tag", "eu"], dir)).code).toBe(0);
    let node = evalHive(dir).example!;
    expect(node).toMatchObject({ targetHost: "2001:db8::7", targetUser: "admin", targetPort: 2222, tags: ["web", "eu"] });
    const changed = await runMain(["deploy", "example", "--target-host", "198.51.100.9"], dir);
    expect(changed.stdout).toContain("✔ Change how Colmena deploys example");
    node = evalHive(dir).example!;
    // A new target replaces the whole target: no user given is Colmena's default, root.
    expect(node).toMatchObject({ targetHost: "198.51.100.9", targetUser: "root", targetPort: null, tags: ["web", "eu"] });
  });

  it("refuses to rewrite a deployment.nix edited by hand, and one that would not change", async () => {
    const dir = makeRepo(starterFiles());
    dirs.push(dir);
    expect((await runMain(["deploy", "example", "--tag", "lab"], dir)).code).toBe(0);
    const same = await runMain(["deploy", "example", "--tag", "lab"], dir);
    expect(same.stderr).toMatch(/already says this/);
    const path = join(dir, "hosts/example/deployment.nix");
    const edited = readTree(dir)["hosts/example/deployment.nix"]!.replace("  };\n}", "    buildOnTarget = true;\n  };\n}");
    writeFileSync(path, edited);
    const before = readTree(dir);
    const result = await runMain(["deploy", "example", "--tag", "web"], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: hosts\/example\/deployment\.nix has been edited by hand/);
    expect(readTree(dir)).toEqual(before);
    expect(evalHive(dir).example).toMatchObject({ tags: ["lab"], buildOnTarget: true });
  });
});

describe("targets and tags", () => {
  it.each([
    ["web1", { host: "web1" }],
    ["web1.example.com.", { host: "web1.example.com." }],
    ["deploy@198.51.100.2", { host: "198.51.100.2", user: "deploy" }],
    ["root@192.0.2.7:2222", { host: "192.0.2.7", user: "root", port: 2222 }],
    ["2001:db8::1", { host: "2001:db8::1" }],
    ["root@[2001:db8::1]:65535", { host: "2001:db8::1", user: "root", port: 65535 }],
    ["[2001:db8::1]", { host: "2001:db8::1" }],
  ])("reads %s", (text, target) => {
    expect(parseTarget(text)).toEqual(target);
  });

  it.each(["-p22", "root@-x", "a b", "a\tb", "root@", "@h", "h:", "h:65536", "h:+22", "[2001:db8::1", "[192.0.2.1]:22", "2001:db8::1:22:x", "a@b@c", "host_name", "999.1.1.1", "ro ot@h", "h;rm"])(
    "refuses %j",
    (text) => {
      expect(parseTarget(text)).toHaveProperty("reason");
    },
  );

  it.each(["web", "eu-west", "rack_3", "2"])("takes the tag %s", (tag) => expect(checkTag(tag)).toBeUndefined());
  it.each(["", "web,eu", "@web", "web*", "-web", "a b", "é"])("refuses the tag %j", (tag) => expect(checkTag(tag)).toBeDefined());
});

describe("a hardware config from another platform", () => {
  it("is taken with the --system it names", async () => {
    const dir = makeRepo(starterFiles());
    try {
      writeFileSync(join(dir, "arm.nix"), sampleHardwareConfig().replace('"x86_64-linux"', '"aarch64-linux"'));
      const result = await runMain(["host", "pi", "--system", "aarch64-linux", "--hardware-config", "arm.nix"], dir);
      expect(result.stderr).toBe("");
      expect(evalHive(dir).pi).toMatchObject({ platform: "aarch64-linux", nixpkgsSystem: "aarch64-linux", rootDevice: expect.stringMatching(/^\/dev\/disk\/by-uuid\//) });
    } finally {
      removeRepo(dir);
    }
  });
});

describe("gen deploy on the command line", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeRepo));

  it("is listed in the help, with its flags", async () => {
    const dir = makeRepo(starterFiles());
    dirs.push(dir);
    expect((await runMain(["--help"], dir)).stdout).toMatch(/deploy +Set or change where Colmena deploys/);
    const help = await runMain(["deploy", "--help"], dir);
    for (const flag of ["Usage: pnpm gen deploy [name]", "--target-host <value>", "--tag <value>", "repeatable", "--dry-run"]) expect(help.stdout).toContain(flag);
    const host = await runMain(["host", "--help"], dir);
    for (const flag of ["--hardware-config <value>", "--target-host <value>", "--tag <value>"]) expect(host.stdout).toContain(flag);
  });

  it("says to add a host first when there is none", async () => {
    const files = Object.fromEntries(Object.entries(starterFiles()).filter(([p]) => !p.startsWith("hosts/")));
    const dir = makeRepo(files);
    dirs.push(dir);
    const result = await runMain(["deploy", "web1", "--tag", "web"], dir);
    expect(result.stderr).toMatch(/^error: There are no hosts yet/);
  });

  it("--dry-run shows the file and writes nothing", async () => {
    const dir = makeRepo(starterFiles());
    dirs.push(dir);
    const before = readTree(dir);
    const result = await runMain(["deploy", "example", "--target-host", "root@192.0.2.7", "--dry-run"], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('+    targetHost = "192.0.2.7";');
    expect(readTree(dir)).toEqual(before);
  });
});

/** A command line as a shell splits it: words, "…" quoted (with \\ escapes), quotes joined to a word. */
function shellSplit(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/(?:[^\s"]+|"(?:[^"\\]|\\.)*")+/g)) {
    words.push(m[0].replace(/"((?:[^"\\]|\\.)*)"/g, (_, inner: string) => inner.replace(/\\(.)/g, "$1")));
  }
  return words;
}

describe("the docs' error table", () => {
  it.each(REFUSALS.map((r) => [commandFor(r.step), r] as const))("%s is refused by the CLI with the sentence the docs show", async (command, refusal) => {
    const dir = makeRepo({ ...starterFiles(), ...(refusal.step.files ?? {}) });
    try {
      for (const given of refusal.given) expect((await runMain(shellSplit(commandFor(given)).slice(2), dir)).code).toBe(0);
      const before = readTree(dir);
      const result = await runMain(shellSplit(command).slice(2), dir);
      expect(result.stderr).toBe(`error: ${refusalMessage(memoryRepo(starterFiles()), refusal)}\n`);
      expect(result.code).toBe(1);
      expect(readTree(dir)).toEqual(before);
    } finally {
      removeRepo(dir);
    }
  });
});
