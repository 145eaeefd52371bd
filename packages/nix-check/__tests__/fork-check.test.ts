// The fork check's red paths and its indifference to names: small forks
// written here, each broken in one way a hand edit breaks a flake, must
// come back with the file at fault and Nix's reason.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { checkFork, copyFlakeTree, evalWithStubs } from "../src/index.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fork shaped like the starter: mkHost/mkHome, one line per entry. */
function fork(hosts: Record<string, string[]>, homes: Record<string, string> = {}, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "fork-"));
  dirs.push(dir);
  const files: Record<string, string> = {
    "flake.nix": `{
  inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-26.05";
  inputs.home-manager.url = "github:nix-community/home-manager/release-26.05";
  inputs.home-manager.inputs.nixpkgs.follows = "nixpkgs";
  outputs = { nixpkgs, home-manager, ... }:
    let
      mkHost = { hostName, system }: nixpkgs.lib.nixosSystem {
        modules = [ { networking.hostName = hostName; } ./hosts/\${hostName}/configuration.nix home-manager.nixosModules.home-manager ];
      };
      mkHome = { username, modules }: home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        modules = [ { home.username = username; } ] ++ modules;
      };
    in {
      nixosConfigurations = {
${Object.keys(hosts).map((h) => `        ${JSON.stringify(h)} = mkHost { hostName = ${JSON.stringify(h)}; system = "x86_64-linux"; };`).join("\n")}
      };
      homeConfigurations = {
${Object.entries(homes).map(([name, file]) => `        ${JSON.stringify(name)} = mkHome { username = ${JSON.stringify(name.split("@")[0])}; modules = [ ./${file} ]; };`).join("\n")}
      };
    };
}
`,
    "modules/home/default.nix": "{ pkgs, ... }: { programs.git.enable = true; }\n",
  };
  for (const [host, users] of Object.entries(hosts)) {
    files[`hosts/${host}/configuration.nix`] = `{ pkgs, ... }: {
  system.stateVersion = "26.05";
${users.map((u) => `  users.users.${u}.isNormalUser = true;\n  home-manager.users.${u} = import ./home/${u}.nix;`).join("\n")}
}
`;
    for (const u of users) files[`hosts/${host}/home/${u}.nix`] = `{ ... }: { imports = [ ../../../modules/home ]; home.stateVersion = "26.05"; }\n`;
  }
  Object.assign(files, extra);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe("checkFork", () => {
  it("is green for any names and any number of hosts, homes reached", () => {
    const report = checkFork(fork({ "db-7": ["zoe", "x_1"], lab: [], "10web": ["ann"] }, { "zoe@db-7": "hosts/db-7/home/zoe.nix" }));
    expect(report.problems).toEqual([]);
    expect(Object.keys(report.entries.nixosConfigurations).sort()).toEqual(["10web", "db-7", "lab"]);
    const db7 = report.entries.nixosConfigurations["db-7"]!;
    expect(Object.keys(db7.homes)).toEqual(["x_1", "zoe"]);
    // `import ./home/zoe.nix` is read by the host; the walk records what the home imports.
    expect(db7.homes.zoe).toEqual(["modules/home"]);
    expect(db7.files).toEqual(["hosts/db-7/configuration.nix"]);
    expect(Object.keys(report.entries.homeConfigurations)).toEqual(["zoe@db-7"]);
  });

  it("is green with no host at all", () => {
    const report = checkFork(fork({}));
    expect(report.problems).toEqual([]);
    expect(report.entries.nixosConfigurations).toEqual({});
  });

  it("names the host whose import points at a missing file", () => {
    const dir = fork({ web1: ["bob"], pi: [] });
    writeFileSync(join(dir, "hosts/pi/configuration.nix"), `{ ... }: { imports = [ ./hardware.nix ]; }\n`);
    const report = checkFork(dir);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ entry: "nixosConfigurations.pi" });
    expect(report.problems[0]!.reason).toMatch(/hosts\/pi\/hardware\.nix.*does not exist/);
    expect(report.problems[0]!.file).toMatch(/^hosts\/pi\//);
    // The healthy host is still checked and listed.
    expect(Object.keys(report.entries.nixosConfigurations)).toEqual(["web1"]);
  });

  it("names a host that imports Colmena's deployment options, which exist only in colmenaHive", () => {
    const dir = fork({ web1: [] });
    writeFileSync(join(dir, "hosts/web1/deployment.nix"), `{ deployment.targetHost = "192.0.2.1"; }\n`);
    writeFileSync(join(dir, "hosts/web1/configuration.nix"), `{ ... }: { imports = [ ./deployment.nix ]; }\n`);
    const [problem] = checkFork(dir).problems;
    expect(problem).toMatchObject({ entry: "nixosConfigurations.web1", file: "hosts/web1/deployment.nix" });
    expect(problem!.reason).toMatch(/sets deployment, which NixOS has no option for/);
  });

  it("names a home whose import is gone, reached only through home-manager.users", () => {
    const dir = fork({ web1: ["bob"] });
    writeFileSync(join(dir, "hosts/web1/home/bob.nix"), `{ ... }: { imports = [ ../../../modules/home/gone.nix ]; }\n`);
    const [problem] = checkFork(dir).problems;
    expect(problem).toMatchObject({ entry: "nixosConfigurations.web1" });
    expect(problem!.reason).toMatch(/modules\/home\/gone\.nix.*does not exist/);
  });

  it("names the file with a syntax error", () => {
    const dir = fork({ web1: ["bob"] });
    writeFileSync(join(dir, "hosts/web1/home/bob.nix"), `{ ... }: { home.stateVersion = "26.05" }\n`);
    const report = checkFork(dir);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]!.file).toBe("hosts/web1/home/bob.nix");
    expect(report.problems[0]!.reason).toMatch(/syntax error.*\(at hosts\/web1\/home\/bob\.nix:1:\d+\)/);
  });

  it("names a file left with merge conflict markers and says to resolve them", () => {
    const dir = fork({ web1: ["bob"] });
    const home = `{ ... }: {\n<<<<<<< hosts/web1/home/bob.nix\n  home.stateVersion = "26.05";\n=======\n  home.stateVersion = "25.11";\n>>>>>>> new template\n}\n`;
    writeFileSync(join(dir, "hosts/web1/home/bob.nix"), home);
    const report = checkFork(dir);
    expect(report.problems).toEqual([{ file: "hosts/web1/home/bob.nix", reason: expect.stringContaining("resolve the conflict markers") }]);
  });

  it("names a flake entry whose host folder is gone", () => {
    const dir = fork({ web1: [], old: [] });
    rmSync(join(dir, "hosts/old"), { recursive: true });
    const report = checkFork(dir);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ entry: "nixosConfigurations.old" });
    expect(report.problems[0]!.reason).toMatch(/hosts\/old\/configuration\.nix.*does not exist/);
  });

  it("names a standalone home whose module is missing", () => {
    const report = checkFork(fork({ web1: [] }, { carol: "nix/carol/home.nix" }));
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ entry: "homeConfigurations.carol" });
    expect(report.problems[0]!.reason).toMatch(/nix\/carol\/home\.nix/);
  });
});

describe("checkFork on Macs", () => {
  /** A fork with nix-darwin hosts only: each one's configuration.nix as given. */
  function macFork(macs: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), "fork-"));
    dirs.push(dir);
    const files: Record<string, string> = {
      "flake.nix": `{
  inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-26.05";
  inputs.home-manager.url = "github:nix-community/home-manager/release-26.05";
  inputs.home-manager.inputs.nixpkgs.follows = "nixpkgs";
  inputs.nix-darwin.url = "github:nix-darwin/nix-darwin/nix-darwin-26.05";
  inputs.nix-darwin.inputs.nixpkgs.follows = "nixpkgs";
  outputs = { nixpkgs, home-manager, nix-darwin, ... }:
    let
      mkDarwin = { hostName, system }: nix-darwin.lib.darwinSystem {
        modules = [ { nixpkgs.hostPlatform = system; } ./hosts/\${hostName}/configuration.nix home-manager.darwinModules.home-manager ];
      };
    in {
      darwinConfigurations = {
${Object.keys(macs).map((h) => `        ${h} = mkDarwin { hostName = "${h}"; system = "aarch64-darwin"; };`).join("\n")}
      };
    };
}
`,
      "hosts/home.nix": `{ ... }: { home.stateVersion = "26.05"; }\n`,
    };
    for (const [mac, config] of Object.entries(macs)) files[`hosts/${mac}/configuration.nix`] = config;
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return dir;
  }

  it("evaluates each darwinConfigurations entry and names the one that sets a NixOS-only option", () => {
    const good = `{ ... }: {\n  system.stateVersion = 7;\n  users.users.zoe.home = "/Users/zoe";\n  home-manager.users.zoe = ../home.nix;\n}\n`;
    const nixos = `{ ... }: {\n  system.stateVersion = 7;\n  fileSystems."/".device = "/dev/sda1";\n}\n`;
    const report = checkFork(macFork({ good, nixos }));
    expect(Object.keys(report.entries.darwinConfigurations)).toEqual(["good"]);
    expect(report.entries.darwinConfigurations.good!.homes).toEqual({ zoe: ["hosts/home.nix"] });
    expect(report.problems).toEqual([
      {
        file: "hosts/nixos/configuration.nix",
        reason: expect.stringMatching(/sets fileSystems, which nix-darwin has no option for/),
        entry: "darwinConfigurations.nixos",
      },
    ]);
  });
});

describe("checkFork on the reference flake's shape (helpers in modules/flake, colmenaHive)", () => {
  // The frozen starter (the generators' fixture), not the fork's own tree: these tests must pass after
  // `pnpm gen host web1` or `gen remove host example` in the fork.
  const starter = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "generators", "fixtures", "starter");
  const reference = () => {
    const dir = copyFlakeTree(starter);
    dirs.push(dir);
    return dir;
  };

  it("names a hand-written nixosSystem entry, which colmenaHive cannot make a node of", () => {
    const dir = reference();
    mkdirSync(join(dir, "hosts/lab"));
    writeFileSync(join(dir, "hosts/lab/configuration.nix"), `{ ... }: { system.stateVersion = "26.05"; }\n`);
    const flake = readFileSync(join(dir, "flake.nix"), "utf8");
    const handWritten = `        lab = nixpkgs.lib.nixosSystem { modules = [ ./hosts/lab/configuration.nix ]; };\n`;
    writeFileSync(join(dir, "flake.nix"), flake.replace("      nixosConfigurations = {\n", (m) => m + handWritten));
    const report = checkFork(dir);
    expect(Object.keys(report.entries.nixosConfigurations).sort()).toEqual(["example", "lab"]);
    expect(Object.keys(report.entries["colmenaHive.nodes"])).toEqual(["example"]);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ file: "flake.nix", entry: "nixosConfigurations.lab" });
    expect(report.problems[0]!.reason).toMatch(/^lab is not a Colmena node: .*mkHost.*`lab = mkHost \{ hostName = "lab";/);
  });

  it("is green for the reference flake itself: every host a node", () => {
    const report = checkFork(reference());
    expect(report.problems).toEqual([]);
    expect(Object.keys(report.entries["colmenaHive.nodes"])).toEqual(Object.keys(report.entries.nixosConfigurations));
  });

  // The home is path-valued (`home-manager.users.alice = ./home/alice.nix;`), so its own file is named, not configuration.nix.
  it("names a generated home's own file for an error in it, as `nix eval` with the stubs does", () => {
    const dir = reference();
    const home = "hosts/example/home/alice.nix";
    writeFileSync(join(dir, home), `{ ... }: { imports = [ ./gone.nix ]; home.stateVersion = "26.05"; }\n`);
    const report = checkFork(dir);
    expect(report.problems.map((p) => p.file)).toContain(home);
    expect(report.problems.find((p) => p.entry === "nixosConfigurations.example")).toMatchObject({ file: home });
    expect(() => evalWithStubs(dir, "nixosConfigurations.example.config.home-manager.users.alice.files")).toThrow(
      /hosts\/example\/home\/gone\.nix \(imported from \/nix\/store\/[a-z0-9]{32}-source\/hosts\/example\/home\/alice\.nix\) does not exist/,
    );
  });
});
