// The planners on the frozen starter, through the scenario catalogue the
// docs show too: every scenario's output is pinned by file snapshots (new
// files whole, edited files as diffs), parses with Nix, and evaluates with
// stub inputs to the hosts, users and homes it promises.
import { evalFlakeStructure, evalFlakeStructures, parseNixSources } from "@starter/nix-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Plan,
  REFUSALS,
  SCENARIOS,
  type UserAnswers,
  commandFor,
  memoryRepo,
  planHost,
  planRemoveHost,
  planScenario,
  planStep,
  planUser,
  refusalMessage,
  unifiedDiff,
} from "../src/index.js";
import { applyInMemory, makeRepo, removeRepo, starterFiles } from "./helpers.js";
import { hostSystem } from "../src/repo/facts.js";
import { fixSpec } from "../src/generators/fix/spec.js";

const reference = starterFiles();
const repo = memoryRepo(reference);
// The reference flake reshaped by hand: its hosts in hosts/default.nix, which flake.nix imports.
const importsHosts = reference["flake.nix"]!.replace(/nixosConfigurations = \{\n(\s*)(example = mkHost \{[^}]*\};)\n\s*\};/, "nixosConfigurations = import ./hosts { inherit mkHost; };");

/** Pins a plan: its change list, and each file (or diff) as a snapshot file. */
async function expectSnapshot(scenario: string, plan: Plan) {
  const dir = `./__snapshots__/${scenario}`;
  const listing = plan.changes.map((c) => `${c.before === null ? "CREATE" : "UPDATE"} ${c.path}`).join("\n") + "\n";
  await expect(listing).toMatchFileSnapshot(`${dir}/CHANGES`);
  for (const change of plan.changes) {
    // An age file is random each run (and never shown): its header says what it is.
    if (change.path.endsWith(".age")) {
      expect(change.after).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n/);
      continue;
    }
    if (change.before === null) await expect(change.after).toMatchFileSnapshot(`${dir}/${change.path}`);
    else await expect(unifiedDiff(change.path, change.before, change.after) + "\n").toMatchFileSnapshot(`${dir}/${change.path}.diff`);
  }
}

function expectParses(files: Record<string, string>) {
  const nix = Object.entries(files).filter(([p]) => p.endsWith(".nix")).map(([path, content]) => ({ path, content }));
  expect(parseNixSources(nix)).toEqual({ ok: true });
}

/** The starter's files after a scenario: its given runs, then its plan. */
function filesAfter(id: string): Record<string, string> {
  let files = { ...reference };
  for (const step of SCENARIOS.find((s) => s.id === id)!.given) files = applyInMemory(files, planStep(memoryRepo(files), step));
  return applyInMemory(files, scenarios[id]!);
}

type Structure = ReturnType<typeof evalFlakeStructure>;
const scenarios: Record<string, Plan> = Object.fromEntries(SCENARIOS.map((s) => [s.id, planScenario(repo, s)]));

describe.each(Object.keys(scenarios))("%s", (scenario) => {
  const plan = scenarios[scenario]!;
  const files = filesAfter(scenario);

  it("matches the reviewed snapshot", async () => {
    await expectSnapshot(scenario, plan);
  });

  it("leaves only files that parse", () => {
    expectParses(files);
  });
});

/** The trees after `names`' scenarios, written to temp repos (into `dirs`) and evaluated with the stubs together. */
function evalAll(names: string[], dirs: string[], results: Record<string, Structure>): void {
  for (const name of names) dirs.push(makeRepo(filesAfter(name)));
  evalFlakeStructures(dirs).forEach((r, i) => (results[names[i]!] = r));
}

describe("stub-input evaluation of the generated trees", () => {
  const results: Record<string, Structure> = {};
  const dirs: string[] = [];
  // Every scenario in one `nix eval` (evalFlakeStructures), not one each.
  beforeAll(() => evalAll(Object.keys(scenarios), dirs, results));
  afterAll(() => dirs.forEach(removeRepo));

  it("lists a new host, built from modules that resolve", () => {
    const { hosts } = results["host-web1"]!;
    expect(Object.keys(hosts).sort()).toEqual(["example", "web1"]);
    expect(hosts.web1).toMatchObject({
      hostName: "web1",
      platform: "x86_64-linux",
      stateVersion: "26.05",
      users: [],
      files: ["modules/nixos", "hosts/web1/configuration.nix", "hosts/web1/hardware-configuration.nix"],
    });
  });

  it("adds a host's initial users with the shared pattern", () => {
    const pi = results["host-with-users"]!.hosts.pi!;
    expect(pi.platform).toBe("aarch64-linux");
    expect(pi.stateVersion).toBe("25.11");
    expect(pi.users).toEqual(["bob", "carol"]);
    expect(Object.keys(pi.homeUsers)).toEqual(["bob", "carol"]);
    expect(pi.homeUsers.bob).toMatchObject({ stateVersion: "26.05", gitName: "bob", gitEmail: null });
    expect(pi.homeUsers.bob!.files).toContain("modules/home/git.nix");
  });

  it.each([
    ["user-separate", "bob", [], "bob@example.com"], // self-contained: imports nothing
    ["user-shared", "carol", ["modules/home", "modules/home/git.nix", "modules/home/shell.nix", "modules/home/editor.nix"], "carol@example.com"],
    ["user-reuse-new", "dave", ["nix/dave/home.nix", "modules/home", "modules/home/git.nix", "modules/home/shell.nix", "modules/home/editor.nix"], "dave@example.com"],
    ["user-reuse", "alice", ["nix/alice/home.nix", "modules/home", "modules/home/git.nix", "modules/home/shell.nix", "modules/home/editor.nix"], "alice@example.com"],
  ])("integrates %s's user into web1's home-manager.users", (scenario, user, files, email) => {
    const { web1, example } = results[scenario]!.hosts;
    expect(web1!.users).toEqual([user]);
    expect(Object.keys(web1!.homeUsers)).toEqual([user]);
    const home = web1!.homeUsers[user]!;
    // The home is path-valued, so the walk names its own file first.
    expect(home.files).toEqual([`hosts/web1/home/${user}.nix`, ...files]);
    expect(home.gitEmail).toBe(email);
    expect(home.stateVersion).toBe("26.05");
    expect(example!.users).toEqual(["alice"]); // the other host is untouched
  });

  it("reuse creates the standalone config and its homeConfiguration when missing", () => {
    const { homes, hosts } = results["user-reuse-new"]!;
    expect(Object.keys(homes)).toEqual(["alice", "dave"]);
    expect(homes.dave).toMatchObject({ username: "dave", gitName: "Dave Rossi" });
    expect(hosts.web1!.homeUsers.dave!.files).toEqual(["hosts/web1/home/dave.nix", ...homes.dave!.files]);
  });

  it("reuse of an existing standalone config adds no second homeConfiguration", () => {
    expect(Object.keys(results["user-reuse"]!.homes)).toEqual(["alice"]);
  });

  it("reuse --from imports an existing standalone config without adding a homeConfiguration", () => {
    const { hosts, homes } = results["user-reuse-from"]!;
    expect(Object.keys(homes)).toEqual(["alice"]);
    expect(hosts.example!.homeUsers.al!.files.slice(0, 2)).toEqual(["hosts/example/home/al.nix", "nix/alice/home.nix"]);
  });

  it("--standalone exposes <user>@<host> built from the host's home file", () => {
    const { homes } = results["user-standalone"]!;
    expect(Object.keys(homes)).toEqual(["alice", "erin@web1"]);
    expect(homes["erin@web1"]).toMatchObject({ username: "erin", gitName: "Erin Hale", stateVersion: "26.05" });
  });

  it("adds one user to several hosts, each integrated and standalone", () => {
    const { hosts, homes } = results["user-multi-host"]!;
    expect(hosts.example!.users).toEqual(["alice", "erin"]);
    expect(hosts.web1!.users).toEqual(["erin"]);
    expect(Object.keys(homes)).toEqual(["alice", "erin@example", "erin@web1"]);
    expect(homes["erin@web1"]!.gitEmail).toBe("erin@example.com");
    expect(results["user-multi-host"]!.checks).toEqual({
      "x86_64-linux": ["home-alice", "home-erin@example", "host-example"],
      "aarch64-linux": ["home-erin@web1", "host-web1"],
      "aarch64-darwin": [],
      "x86_64-darwin": [],
    });
  });

  it("lets the same username have other settings on another host", () => {
    const { hosts } = results["user-same-name-other-host"]!;
    expect(hosts.example!.homeUsers.alice!.gitEmail).toBe("alice@example.com");
    expect(hosts.work!.homeUsers.alice!.gitEmail).toBe("alice@work.example");
  });
});

describe("Macs", () => {
  const results: Record<string, Structure> = {};
  const dirs: string[] = [];
  beforeAll(() => evalAll(["mac-and-linux-user", "host-mac", "mac-user-shared"], dirs, results));
  afterAll(() => dirs.forEach(removeRepo));

  it("are darwinConfigurations, not nixosConfigurations, built from modules/darwin without a hardware config", () => {
    const { hosts, macs } = results["mac-and-linux-user"]!;
    expect(Object.keys(hosts)).toEqual(["example"]);
    expect(Object.keys(macs).sort()).toEqual(["mac1", "mac2"]);
    expect(macs.mac1).toMatchObject({ hostName: "mac1", platform: "aarch64-darwin", stateVersion: 7, users: ["alice", "zoe"] });
    expect(macs.mac2).toMatchObject({ hostName: "mac2", platform: "x86_64-darwin", stateVersion: 7, users: [] });
    expect(macs.mac1!.files).toEqual(["modules/darwin", "hosts/mac1/configuration.nix"]);
  });

  it("give each user a /Users home, integrated and standalone, and the same user /home on NixOS", () => {
    const { hosts, macs, homes } = results["mac-and-linux-user"]!;
    expect(macs.mac1!.userHomes).toEqual({ alice: "/Users/alice", zoe: "/Users/zoe" });
    expect(Object.keys(macs.mac1!.homeUsers)).toEqual(["alice", "zoe"]);
    expect(macs.mac1!.homeUsers.alice!.files).toContain("modules/home/git.nix");
    expect(homes["zoe@mac1"]).toMatchObject({ username: "zoe", homeDirectory: "/Users/zoe" });
    expect(homes["zoe@example"]).toMatchObject({ username: "zoe", homeDirectory: "/home/zoe" });
    expect(hosts.example!.users).toEqual(["alice", "zoe"]);
    // NixOS gives a normal user /home/<user>, which its Home Manager reads.
    expect(filesAfter("mac-and-linux-user")["hosts/example/configuration.nix"]).toMatch(/users\.users\.zoe = \{\n\s*isNormalUser = true;/);
  });

  it("are in the flake's checks for their own systems", () => {
    const { checks } = results["mac-and-linux-user"]!;
    expect(checks).toEqual({
      "x86_64-linux": ["home-alice", "home-zoe@example", "host-example"],
      "aarch64-linux": [],
      "aarch64-darwin": ["home-zoe@mac1", "host-mac1"],
      "x86_64-darwin": ["host-mac2"],
    });
  });

  it("write an integer state version and no NixOS-only settings", () => {
    const files = filesAfter("mac-and-linux-user");
    const mac = Object.entries(files).filter(([p]) => p.startsWith("hosts/mac1/") || p.startsWith("modules/darwin/"));
    expect(mac.map(([p]) => p).sort()).toEqual(["hosts/mac1/configuration.nix", "hosts/mac1/home/alice.nix", "hosts/mac1/home/zoe.nix", "modules/darwin/default.nix"]);
    expect(files["hosts/mac1/configuration.nix"]).toMatch(/^  system\.stateVersion = 7;$/m);
    for (const [path, text] of mac) expect(text, path).not.toMatch(/\bboot\.|fileSystems|networkmanager|isNormalUser|extraGroups/);
  });

  it("set system.primaryUser once, to the Mac's first user", () => {
    const config = filesAfter("mac-and-linux-user")["hosts/mac1/configuration.nix"]!;
    expect(config.match(/system\.primaryUser = /g)).toHaveLength(1);
    expect(config).toMatch(/system\.primaryUser = "alice";/);
  });

  it("enable fish system-wide but leave zsh, which nix-darwin turns on", () => {
    expect(filesAfter("mac-user-shared")["hosts/mac1/configuration.nix"]).toMatch(/programs\.fish\.enable = true;/);
    expect(filesAfter("host-mac")["hosts/mac1/configuration.nix"]).not.toMatch(/programs\.zsh/);
    expect(results["host-mac"]!.macs.mac1!.homeUsers.alice).toMatchObject({ stateVersion: "26.05" });
  });

  it("leave NixOS hosts without nix-darwin settings, which the stub NixOS refuses", () => {
    const files = filesAfter("mac-and-linux-user");
    expect(files["hosts/example/configuration.nix"]).not.toMatch(/primaryUser|\/Users\//);
    files["hosts/example/configuration.nix"] = files["hosts/example/configuration.nix"]!.replace(/\n}\n$/, '\n  system.primaryUser = "zoe";\n}\n');
    const dir = makeRepo(files);
    try {
      expect(() => evalFlakeStructure(dir)).toThrow(/hosts\/example\/configuration\.nix sets system\.primaryUser, which NixOS has no option for/);
    } finally {
      removeRepo(dir);
    }
  });

  it("are refused NixOS-only settings by the stub nix-darwin, so the check above can fail", () => {
    const files = filesAfter("host-mac");
    files["hosts/mac1/configuration.nix"] = files["hosts/mac1/configuration.nix"]!.replace("{\n  # nix-darwin", "{\n  boot.loader.systemd-boot.enable = true;\n  # nix-darwin");
    const dir = makeRepo(files);
    try {
      expect(() => evalFlakeStructure(dir)).toThrow(/hosts\/mac1\/configuration\.nix sets boot, which nix-darwin has no option for/);
    } finally {
      removeRepo(dir);
    }
  });
});

describe("strings from the user", () => {
  const fullName = 'Zoë "${builtins.abort \\"x\\"}" \\o/ $${y} \'\' ♥';
  const email = '"quoted${x}"+tag@example.com';

  it("round-trip through Nix evaluation unchanged", () => {
    const plan = planUser(repo, { name: "zoe", hosts: ["example"], fullName, email, pattern: "reuse", standalone: true });
    const dir = makeRepo(applyInMemory(reference, plan));
    try {
      const { hosts, homes } = evalFlakeStructure(dir);
      expect(hosts.example!.homeUsers.zoe).toMatchObject({ gitName: fullName, gitEmail: email });
      expect(homes.zoe).toMatchObject({ gitName: fullName, gitEmail: email });
      expect(homes["zoe@example"]).toMatchObject({ gitName: fullName, gitEmail: email });
    } finally {
      removeRepo(dir);
    }
  });
});

describe("refusals", () => {
  it("say one sentence each, as the docs show them", async () => {
    const text = REFUSALS.map((r) => `$ ${commandFor(r.step)}\nerror: ${refusalMessage(repo, r)}\n`).join("\n");
    for (const r of REFUSALS) expect(refusalMessage(repo, r)).not.toMatch(/\n/);
    await expect(text).toMatchFileSnapshot("./__snapshots__/refusals.txt");
  });

  const attempt = (answers: Partial<UserAnswers>) => () =>
    planUser(repo, { name: "bob", hosts: ["example"], ...answers } as UserAnswers);

  it.each([
    [{ name: "alice" }, /alice is already a user on example/],
    [{ hosts: ["nope"] }, /There is no host "nope".*the hosts here are example/],
    [{ hosts: [] }, /Say which host/],
    [{ hosts: ["example", "example"] }, /listed twice/],
    [{ name: "root" }, /system account/],
    [{ fullName: "Bob\nBuilder" }, /newline/],
    [{ pattern: "reuse", from: "nix/missing.nix" }, /nix\/missing\.nix does not exist/],
    [{ from: "nix/alice/home.nix" }, /--from only applies to the reuse pattern/],
    [{ pattern: "reuse", from: "../flake.nix" }, /not a \.nix file under nix\//],
  ])("user %j", (answers, message) => {
    expect(attempt(answers as Partial<UserAnswers>)).toThrow(message);
  });

  it("refuses an existing host and a flake.nix without a safe insert point", () => {
    expect(() => planHost(repo, { name: "example", system: "x86_64-linux" })).toThrow(/already exists/);
    // mapAttrs over an entry not written as `mkHost { … }`: what its function makes of a new mkHost call is unknown.
    const computed = reference["flake.nix"]!.replace("nixosConfigurations = {\n        example = mkHost {", "nixosConfigurations = builtins.mapAttrs (_: mkHost) {\n        example = {");
    expect(computed).not.toBe(reference["flake.nix"]);
    expect(() => planHost(memoryRepo({ ...reference, "flake.nix": computed }), { name: "web1", system: "x86_64-linux" })).toThrow(
      /flake\.nix cannot take the new host safely because its `nixosConfigurations` is computed by `builtins\.mapAttrs` over entries not all written as `mkHost \{ … \}` \(`example` is not\), so that function may expect something else of a new one: add `web1` to that set by hand in the form its other entries take \(`builtins\.mapAttrs` hands each to its function\), or fix flake\.nix and run again\.$/,
    );
  });

  it("advises a standalone home in a mapped homeConfigurations by its siblings' form, not the generator's entry", () => {
    const computed = reference["flake.nix"]!.replace("homeConfigurations = {", "homeConfigurations = builtins.mapAttrs (_: h: h) {");
    expect(computed).not.toBe(reference["flake.nix"]);
    expect(() => planUser(memoryRepo({ ...reference, "flake.nix": computed }), { name: "zoe", hosts: ["example"], pattern: "reuse", standalone: true })).toThrow(
      /^flake\.nix cannot take the standalone config zoe safely because its `homeConfigurations` is computed by `builtins\.mapAttrs`, and the generator cannot tell what that function makes of a new entry: add `zoe` to that set by hand in the form its other entries take \(`builtins\.mapAttrs` hands each to its function\), or fix flake\.nix and run again\.$/,
    );
  });

  it("follows `nixosConfigurations = import ./hosts { inherit mkHost; }` into hosts/default.nix, leaving flake.nix as it is", () => {
    const flake = importsHosts;
    const hosts = '{ mkHost, ... }:\n{\n  example = mkHost { hostName = "example"; system = "x86_64-linux"; };\n}\n';
    const plan = planHost(memoryRepo({ ...reference, "flake.nix": flake, "hosts/default.nix": hosts }), { name: "web1", system: "aarch64-linux" });
    const changed = new Map(plan.changes.map((c) => [c.path, c.after]));
    expect(changed.has("flake.nix")).toBe(false);
    expect(changed.get("hosts/default.nix")).toBe(hosts.replace('"x86_64-linux"; };\n', '"x86_64-linux"; };\n  web1 = mkHost {\n    hostName = "web1";\n    system = "aarch64-linux";\n  };\n'));
    expect(plan.nextSteps.join("\n")).toContain("git add hosts/web1 hosts/default.nix flake.nix");
    // gen remove finds it there again, and gives the file back byte for byte.
    const before = { ...reference, "flake.nix": flake, "hosts/default.nix": hosts };
    const added = applyInMemory(before, plan);
    const removed = applyInMemory(added, planRemoveHost(memoryRepo(added), { name: "web1" }));
    expect(removed["hosts/default.nix"]).toBe(hosts);
    expect(removed["flake.nix"]).toBe(flake);
  });

  it("names the imported hosts file, not flake.nix, as what to fix when that file does not take mkHost", () => {
    const flake = importsHosts;
    const hosts = '{ ... }:\n{\n  example = { };\n}\n';
    expect(() => planHost(memoryRepo({ ...reference, "flake.nix": flake, "hosts/default.nix": hosts }), { name: "web1", system: "x86_64-linux" })).toThrow(
      /in hosts\/default\.nix, which does not take `mkHost`.*by hand, or fix hosts\/default\.nix and run again\.$/,
    );
  });

  it("reads a host's system from hosts/default.nix when flake.nix imports its hosts from there", () => {
    const flake = importsHosts;
    const hosts = '{ mkHost, ... }:\n{\n  pi = mkHost { system = "aarch64-linux"; hostName = "pi"; };\n}\n';
    expect(hostSystem(memoryRepo({ ...reference, "flake.nix": flake, "hosts/default.nix": hosts }), "pi")).toBe("aarch64-linux");
  });

  it("gen fix's --host knows the hosts of a hosts file flake.nix imports, as gen host writes them", () => {
    const hosts = '{ mkHost, ... }:\n{\n  pi = mkHost { system = "aarch64-linux"; hostName = "pi"; };\n}\n';
    const repoView = memoryRepo({ ...reference, "flake.nix": importsHosts, "hosts/default.nix": hosts });
    const check = fixSpec.params.find((p) => p.name === "hosts")!.check!;
    const ctx = { repo: repoView, answers: {}, origin: () => undefined, readFile: () => undefined };
    expect(check("pi", ctx)).toBeUndefined();
    expect(check("web1", ctx)).toBe('There is no configuration "web1" in flake.nix\'s nixosConfigurations, darwinConfigurations, homeConfigurations: give one of pi, alice.');
  });

  it("notices zsh is already enabled on the host and does not enable it twice", () => {
    const plan = planUser(repo, { name: "bob", hosts: ["example"], shell: "zsh" });
    const config = plan.changes.find((c) => c.path === "hosts/example/configuration.nix")!.after!;
    expect(config.match(/programs\.zsh\.enable = true;/g)).toHaveLength(1);
  });
});
