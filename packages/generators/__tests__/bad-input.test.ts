// What the CLI does with bad input, as a script or CI meets it (no TTY,
// flags only, real files), through main() in this process. Every refusal is
// one `error: ...` line on stderr, exit 1, and the repository byte for byte
// (and mode for mode) as it was. Node is spawned only where a signal or the
// lack of a TTY is the point.
// Input that Nix can hold must round-trip exactly through evaluation; a run
// killed between writes leaves every file wholly old or wholly new, and the
// next run cleans up and succeeds.
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, lstatSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { evalFlakeStructure } from "@starter/nix-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type HostAnswers, fsRepo, planHost } from "../src/index.js";
import { GEN_BIN, GEN_TEST_BIN, makeRepo, readTree, removeRepo, runMain, starterFiles } from "./helpers.js";

const dirs: string[] = [];
function repo(edit?: (dir: string) => void): string {
  const dir = makeRepo(starterFiles());
  dirs.push(dir);
  edit?.(dir);
  return dir;
}
afterEach(() => dirs.splice(0).forEach(removeRepo));

/** Every file and folder below `dir`: its mode bits, and a file's bytes. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const abs = join(d, name);
      const st = lstatSync(abs);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isDirectory()) {
        out[relative(dir, abs) + "/"] = mode;
        walk(abs);
      } else out[relative(dir, abs)] = `${mode} ${readFileSync(abs).toString("base64")}`;
    }
  };
  walk(dir);
  return out;
}

/** Runs the CLI once and checks it refused: one clear line, exit 1, nothing changed. */
async function expectRefusal(dir: string, args: string[], message: RegExp): Promise<string> {
  const before = snapshot(dir);
  const result = await runMain(args, dir);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
  expect(result.stderr).toMatch(message);
  expect(result.code).toBe(1);
  expect(snapshot(dir)).toEqual(before);
  return result.stderr;
}

interface AsyncRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the test had to kill it: it would have hung. */
  hung: boolean;
}

/**
 * Runs the CLI without a TTY but with stdin open and silent (a CI step with a
 * pipe attached), so a prompt would wait forever. After `limitMs` it is
 * killed and reported as hung; this is a hang guard, not a timing check.
 */
function runCliOpenStdin(args: string[], cwd: string, limitMs = 30_000): Promise<AsyncRun> {
  const child = spawn(process.execPath, [GEN_BIN, ...args], { cwd, env: { ...process.env, INIT_CWD: cwd }, stdio: ["pipe", "pipe", "pipe"] });
  return collect(child, limitMs);
}

function collect(child: ChildProcess, limitMs: number): Promise<AsyncRun> {
  let stdout = "";
  let stderr = "";
  let hung = false;
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => {
    hung = true;
    child.kill("SIGKILL");
  }, limitMs);
  return new Promise((done) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, hung });
    });
  });
}

const long = (n: number) => "a".repeat(n);

describe("invalid names are refused, and nothing is written", () => {
  it.each([
    ["uppercase", ["host", "Web1"], /host name "Web1" has uppercase letters.*"web1"/],
    ["a space", ["host", "web 1"], /host name "web 1" has characters a host name cannot have/],
    ["a relative path", ["host", "../x"], /host name "\.\.\/x" is a path, not a name/],
    ["an absolute path", ["host", "/abs"], /host name "\/abs" is a path, not a name/],
    ["empty (bare)", ["host", ""], /host name is empty/],
    ["empty (--name)", ["host", "--name", ""], /host name is empty/],
    ["too long", ["host", long(64)], /is 64 characters long: use at most 63/],
    ["a leading hyphen", ["host", "--name=-web"], /host name "-web" starts or ends with a hyphen/],
    ["a trailing hyphen", ["host", "web-"], /host name "web-" starts or ends with a hyphen/],
    ["a dot", ["host", "web.example"], /host name "web\.example" has characters a host name cannot have/],
    ["reserved: localhost", ["host", "localhost"], /"localhost" is reserved/],
  ])("host name with %s", async (_label, args, message) => {
    await expectRefusal(repo(), args, message);
  });

  // viaHost: also try it as `gen host --user`, whose value is a list split at
  // commas only, so "bob smith" is one (refused) name there too, and "" is refused.
  it.each([
    ["uppercase", "Bob", true, /username "Bob" has uppercase letters.*"bob"/],
    ["a space", "bob smith", true, /username "bob smith" is not a POSIX username/],
    ["a relative path", "../x", true, /username "\.\.\/x" is a path, not a name/],
    ["an absolute path", "/abs", true, /username "\/abs" is a path, not a name/],
    ["empty", "", true, /username is empty/],
    ["too long", long(33), true, /is 33 characters long: use at most 32/],
    ["a leading hyphen", "-bob", true, /username "-bob" is not a POSIX username/],
    ["a leading digit", "1bob", true, /username "1bob" is not a POSIX username/],
    ["a dot", "bob.smith", true, /username "bob\.smith" is not a POSIX username/],
    ["reserved: root", "root", true, /username "root" belongs to a system account/],
    ["reserved: nobody", "nobody", true, /username "nobody" belongs to a system account/],
    ["reserved: nixbld7", "nixbld7", true, /username "nixbld7" belongs to a system account/],
    ["reserved: systemd-oomd", "systemd-oomd", true, /username "systemd-oomd" belongs to a system account/],
  ])("username with %s", async (_label, name, viaHost, message) => {
    const dir = repo();
    await expectRefusal(dir, ["user", `--name=${name}`, "--host", "example"], message);
    if (viaHost) await expectRefusal(dir, ["host", "web1", `--user=${name}`], message);
  });
});

describe("duplicates are refused", () => {
  it.each([
    ["an existing host", ["host", "example"], /host example already exists \(hosts\/example\)/],
    ["a user already on the host", ["user", "alice", "--host", "example"], /alice is already a user on example/],
    ["the same --host twice", ["user", "bob", "--host", "example", "--host", "example"], /host example is listed twice: give each --host once/],
    ["the same host twice in one list", ["user", "bob", "--host", "example,example"], /host example is listed twice/],
    ["the same --user twice", ["host", "web1", "--user", "bob", "--user", "bob"], /user bob is listed twice: give each --user once/],
    ["the name given twice", ["host", "web1", "--name", "web2"], /name is given twice \(web1 and --name web2\)/],
  ])("%s", async (_label, args, message) => {
    await expectRefusal(repo(), args, message);
  });

  it("a user already on one of two hosts", async () => {
    const dir = repo();
    expect((await runMain(["host", "web1"], dir)).code).toBe(0);
    await expectRefusal(dir, ["user", "alice", "--host", "web1", "--host", "example"], /alice is already a user on example/);
  });
});

describe("an unknown host is refused with the known ones listed", () => {
  it("one known host", async () => {
    await expectRefusal(repo(), ["user", "bob", "--host", "nope"], /There is no host "nope".*the hosts here are example\./);
  });

  it("several known hosts", async () => {
    const dir = repo();
    expect((await runMain(["host", "web1"], dir)).code).toBe(0);
    expect((await runMain(["host", "db1"], dir)).code).toBe(0);
    await expectRefusal(dir, ["user", "bob", "--host", "web1", "--host", "nope"], /There is no host "nope".*the hosts here are db1, example, web1\./);
  });

  it("a folder in hosts/ without a configuration.nix is not a host", async () => {
    const dir = repo((d) => writeFileSync(join(d, "hosts", "README"), "notes\n"));
    await expectRefusal(dir, ["user", "bob", "--host", "README"], /There is no host "README".*example/);
  });
});

describe("full names and emails", () => {
  // Each accepted row adds its own user to one shared repo; one evaluation
  // then checks that every string comes back exactly as typed.
  const accepted: Array<[label: string, user: string, fullName: string, email: string, pattern: string]> = [
    ["double quotes", "quotes", 'Bob "The Builder" O\'Neil', '"bob"@example.com', "shared"],
    ["backslashes", "slashes", "Back\\slash \\n \\\\ end\\", "back\\slash@example.com", "separate"],
    ["a Nix interpolation", "interp", "${builtins.abort \"pwned\"}", "${x}@example.com", "shared"],
    ["Nix escapes and $ signs", "dollars", "$${x} ''${y} '' $ {z} $", "a$b@example.com", "reuse"],
    ["unicode", "unicode", "Zoë Ñúñez 山田太郎 🚀", "zoë@exämple.org", "separate"],
    ["a hash and a semicolon", "hashes", "Bob # not a comment; x = 1;", "bob+tag@example.com", "shared"],
  ];
  let dir = "";
  let results: Array<{ code: number; stderr: string }> = [];
  let structure: ReturnType<typeof evalFlakeStructure>;

  beforeAll(async () => {
    dir = makeRepo(starterFiles());
    results = [];
    for (const [, user, fullName, email, pattern] of accepted) {
      results.push(await runMain(["user", user, "--host", "example", "--full-name", fullName, "--email", email, "--pattern", pattern], dir));
    }
    structure = evalFlakeStructure(dir);
  });
  afterAll(() => removeRepo(dir));

  it.each(accepted.map((row, i) => [...row, i] as const))("%s are accepted and evaluate to exactly what was typed", (_label, user, fullName, email, _pattern, i) => {
    expect(results[i]!.stderr).toBe("");
    expect(results[i]!.code).toBe(0);
    const home = structure.hosts.example!.homeUsers[user];
    expect(home).toBeDefined();
    expect(home!.gitName).toBe(fullName);
    expect(home!.gitEmail).toBe(email);
    expect(structure.hosts.example!.users).toContain(user);
  });

  it.each([
    ["a newline in the full name", ["--full-name", "Bob\nSmith"], /full name "Bob\\nSmith" has a newline or another control character: write it on one line/],
    ["a carriage return in the full name", ["--full-name", "Bob\rSmith"], /full name "Bob\\rSmith" has a newline or another control character/],
    ["a tab in the full name", ["--full-name", "Bob\tSmith"], /full name "Bob\\tSmith" has a newline or another control character/],
    ["a colon in the full name", ["--full-name", "Bob: builder"], /full name "Bob: builder" has a ":", which \/etc\/passwd cannot hold/],
    ["a newline in the email", ["--email", "bob@example.com\nx"], /email "bob@example.com\\nx" is not an address/],
    ["a space in the email", ["--email", "bob smith@example.com"], /email "bob smith@example.com" is not an address/],
    ["an email without @", ["--email", "bob.example.com"], /email "bob.example.com" is not an address/],
  ])("%s is refused with the reason", async (_label, flags, message) => {
    await expectRefusal(repo(), ["user", "bob", "--host", "example", ...flags], message);
  });
});

describe("a flake.nix the generator cannot edit safely", () => {
  const editFlake = (edit: (text: string) => string) => (dir: string) => {
    const path = join(dir, "flake.nix");
    const text = readFileSync(path, "utf8");
    const edited = edit(text);
    expect(edited).not.toBe(text);
    writeFileSync(path, edited);
  };
  const hostSet = /nixosConfigurations = \{\n\s*example = mkHost \{\n[^}]*\};\n\s*\};/;
  const exampleEntry = /example = mkHost \{\n[^}]*\};/;
  // mkHost comes into scope by name, from modules/flake (`inherit (import ./modules/flake …) mkHost …;`).
  const mkHostDef = /\n {8}mkHost\n/;

  it("the insert point is gone (no `nixosConfigurations` in outputs)", async () => {
    const dir = repo(editFlake((t) => t.replace(hostSet, "")));
    await expectRefusal(dir, ["host", "web1"], /flake\.nix cannot take the new host safely because its outputs have no `nixosConfigurations = \{ … \};` attribute set: add `web1 = mkHost/);
  });

  it("dotted entries (`nixosConfigurations.example = …`) get a dotted entry beside them", async () => {
    const dir = repo(editFlake((t) => t.replace(hostSet, 'nixosConfigurations.example = mkHost { hostName = "example"; system = "x86_64-linux"; };')));
    const result = await runMain(["host", "web1"], dir);
    expect(result.stderr).toBe("");
    expect(readTree(dir)["flake.nix"]).toContain('\n      nixosConfigurations.web1 = mkHost {\n        hostName = "web1";\n        system = "x86_64-linux";\n      };\n');
  });

  it("a `nixosConfigurations = {` nested elsewhere is never picked", async () => {
    const dir = repo(editFlake((t) => t.replace("    in\n", "      unused = { nixosConfigurations = { }; };\n    in\n")));
    expect((await runMain(["host", "web1"], dir)).code).toBe(0);
    expect(readTree(dir)["flake.nix"]).toContain("unused = { nixosConfigurations = { }; };");
    expect(readTree(dir)["flake.nix"]).toMatch(/example = mkHost \{\n[^}]*\};\n\s*web1 = mkHost \{/);
  });

  it("a second `nixosConfigurations = {` in a comment or string is not ambiguous", async () => {
    const dir = repo(
      editFlake((t) => t.replace("    in\n", '      # nixosConfigurations = { old = 1; };\n      note = "nixosConfigurations = {";\n    in\n')),
    );
    const result = await runMain(["host", "web1"], dir);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(readTree(dir)["flake.nix"]).toContain('web1 = mkHost {\n          hostName = "web1";\n          system = "x86_64-linux";\n        };');
  });

  it("mkHost was removed (definition and uses)", async () => {
    const dir = repo(
      editFlake((t) =>
        t
          .replace(mkHostDef, "\n")
          .replace(exampleEntry, "example = nixpkgs.lib.nixosSystem { modules = [ ./hosts/example/configuration.nix ]; };"),
      ),
    );
    expect(readFileSync(join(dir, "flake.nix"), "utf8")).not.toMatch(/mkHost/);
    await expectRefusal(dir, ["host", "web1"], /flake\.nix no longer defines or uses mkHost, which the generated entries call/);
  });

  it("mkHost's definition was removed but a use is left", async () => {
    const dir = repo(editFlake((t) => t.replace(mkHostDef, "\n")));
    await expectRefusal(dir, ["host", "web1"], /The generated flake\.nix would not parse \(undefined variable 'mkHost'.*\), so nothing was written/);
  });

  it("mkHome was removed (gen user --standalone)", async () => {
    const dir = repo(
      editFlake((t) =>
        t
          .replace(/\n {8}mkHome\n/, "\n")
          .replace(/alice = mkHome \{\n[^}]*\};/, "alice = home-manager.lib.homeManagerConfiguration { modules = [ ./nix/alice/home.nix ]; };"),
      ),
    );
    await expectRefusal(dir, ["user", "bob", "--host", "example", "--standalone"], /flake\.nix no longer defines or uses mkHome/);
  });

  it("there is no flake.nix", async () => {
    const dir = repo((d) => rmSync(join(d, "flake.nix")));
    await expectRefusal(dir, ["host", "web1"], /There is no flake\.nix in .* or above it: run pnpm gen inside your fork, or pass --root/);
  });
});

describe("read-only targets", () => {
  it.each([
    ["flake.nix", ["host", "web1"]],
    ["hosts/example/configuration.nix", ["user", "bob", "--host", "example"]],
    ["flake.nix", ["user", "bob", "--host", "example", "--standalone"]],
  ])("%s at 0444 (as root too: the generator checks the mode bits)", async (file, args) => {
    const dir = repo((d) => chmodSync(join(d, file), 0o444));
    const escaped = file.replace(/\./g, "\\.");
    await expectRefusal(dir, args, new RegExp(`${escaped} is read-only: make it writable \\(chmod u\\+w ${escaped}\\)`));
    expect(lstatSync(join(dir, file)).mode & 0o777).toBe(0o444);
  });
});

describe("a run killed in the middle of writing", () => {
  /** All `*.gen-tmp` files below `dir`, by name only: the run's lock temp may vanish between listing and reading. */
  const temps = (dir: string) => readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((p) => p.endsWith(".gen-tmp"));

  // The run pauses after temp write number `killAfter` only (of 5: the
  // host's 4 files and the record); the test kills it during that pause.
  it.each([
    ["after its first temp file", 1],
    ["after its last temp file, before any rename", 5],
  ])("killed %s: each target is wholly old or wholly new, and the next run cleans up and succeeds", async (_label, killAfter) => {
    const dir = repo();
    const answers: HostAnswers = { name: "web1", system: "x86_64-linux", users: ["bob"] };
    const plan = planHost(fsRepo(dir), answers);
    expect(plan.changes.length).toBe(5);
    const before = readTree(dir);

    const child = spawn(process.execPath, [GEN_TEST_BIN, "host", "web1", "--user", "bob"], {
      cwd: dir,
      env: { ...process.env, INIT_CWD: dir, STARTER_GEN_PAUSE_MS: "60000", STARTER_GEN_PAUSE_AT: String(killAfter) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = collect(child, 120_000);
    let found: string[] = [];
    let alive = true;
    void exited.then(() => (alive = false));
    // Only the targets' temps count: the lock is taken through a temp file too.
    const targets = new Set(plan.changes.map((c) => c.path));
    while (alive && found.length < killAfter) {
      await new Promise((r) => setTimeout(r, 20));
      found = temps(dir).filter((p) => targets.has(p.replace(/\.\d+\.gen-tmp$/, "")));
    }
    child.kill("SIGKILL");
    const run = await exited;
    expect(run.signal, `the run ended by itself: ${run.stderr}`).toBe("SIGKILL");
    expect(found).toHaveLength(killAfter);

    // Every planned target is exactly its old content or exactly its new one.
    const after = readTree(dir);
    for (const change of plan.changes) {
      const now = after[change.path];
      const old = change.before ?? undefined;
      expect([old, change.after], `${change.path} is half written`).toContainEqual(now);
    }
    // Nothing else changed, apart from the temp files.
    for (const [path, content] of Object.entries(before)) {
      if (!plan.changes.some((c) => c.path === path)) expect(after[path]).toBe(content);
    }
    expect(temps(dir)).toHaveLength(killAfter);

    // The next run removes the leftovers and does the whole job.
    const next = await runMain(["host", "web1", "--user", "bob"], dir);
    expect(next.stderr).toBe(`note: removed ${killAfter} temp file(s) an interrupted run left behind.\n`);
    expect(next.code).toBe(0);
    const done = readTree(dir);
    expect(temps(dir)).toEqual([]);
    for (const change of plan.changes) expect(done[change.path]).toBe(change.after);
  });

  it("a leftover temp file alone does not stop a different run", async () => {
    const dir = repo((d) => writeFileSync(join(d, "flake.nix.4194305.gen-tmp"), "half a fla"));
    const result = await runMain(["host", "web2"], dir);
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, "flake.nix.4194305.gen-tmp"))).toBe(false);
  });
});

describe("missing answers without a terminal", () => {
  it.each([
    ["gen host with no name", ["host"], /Missing --name: pass it as a flag \(e\.g\. pnpm gen host web1\)/],
    ["gen host with only flags that are not the name", ["host", "--system", "aarch64-linux"], /Missing --name/],
    ["gen user alice without --host", ["user", "alice"], /Missing --host: pass it as a flag \(e\.g\. pnpm gen user alice --host web1\)/],
    ["gen user with neither", ["user"], /Missing --name and --host: pass them as flags/],
  ])("%s: an error, never a prompt that waits", async (_label, args, message) => {
    const dir = repo();
    const before = snapshot(dir);
    const run = await runCliOpenStdin(args, dir);
    expect(run.hung).toBe(false);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(1);
    expect(snapshot(dir)).toEqual(before);
  });
});
