// The one resolve step: raw answers → checked answers with defaults, the
// same rule for a flag, a prompt and a planner's caller, each reason worded
// for where its answer came from.
import { describe, expect, it } from "vitest";
import { GenError, memoryRepo, planHost, planUser } from "../src/index.js";
import type { Answers } from "../src/answers/spec.js";
import { hostSpec } from "../src/generators/host/spec.js";
import { userSpec } from "../src/generators/user/spec.js";
import { RELEASE } from "../src/answers/release.js";
import { checkAnswer, checkContext, checkGiven, withDefaults } from "../src/answers/resolve.js";
import { resolveHost } from "../src/generators/host/resolve.js";
import { resolveUser } from "../src/generators/user/resolve.js";
import { applyInMemory, starterFiles } from "./helpers.js";

const starter = starterFiles();
/** The starter with a second host, web1, that alice is not on yet. */
const twoHosts = applyInMemory(starter, planHost(memoryRepo(starter), { name: "web1", system: "x86_64-linux" }));
const param = (spec: typeof userSpec, name: string) => spec.params.find((p) => p.name === name)!;

/** The reason a prompt gives for `value` as `name`'s answer, `earlier` answered before it (by prompts unless listed in `flags`). */
function atPrompt(files: Record<string, string>, name: string, value: Answers[string], earlier: Answers = {}, flags: Answers = {}, spec = userSpec) {
  const answers = { ...flags, ...earlier, [name]: value };
  const origins = Object.fromEntries(Object.keys(answers).map((k) => [k, k in flags ? "flag" : "prompt"] as const));
  return checkAnswer(param(spec, name), value, checkContext(memoryRepo(files), answers, { origins }));
}

describe("defaults", () => {
  it("a user gets gen user's defaults, and a new home the pinned release", () => {
    expect(resolveUser(memoryRepo(starter), { name: "bob", hosts: ["example"] })).toEqual({
      name: "bob",
      hosts: ["example"],
      fullName: "bob",
      email: "",
      pattern: "shared",
      shell: "bash",
      standalone: false,
      from: "nix/bob/home.nix",
      admin: true,
      sshKeys: [],
      homeStateVersion: RELEASE,
    });
  });

  it("a host gets the pinned release and no users", () => {
    expect(resolveHost(memoryRepo(starter), { name: "web2", system: "aarch64-linux" })).toEqual({ name: "web2", system: "aarch64-linux", stateVersion: RELEASE, users: [], tags: [] });
  });

  it("fills an empty optional answer with its default, and reuse's config only for reuse", () => {
    expect(withDefaults(userSpec, { name: "bob", fullName: "" })).toMatchObject({ fullName: "bob", pattern: "shared", admin: true });
    expect(withDefaults(userSpec, { name: "bob" }).from).toBeUndefined();
    expect(withDefaults(userSpec, { name: "bob", pattern: "reuse" }).from).toBe("nix/bob/home.nix");
  });
});

describe("the user already on a host", () => {
  it("is refused at the username when the hosts are known, at the host otherwise", () => {
    expect(atPrompt(twoHosts, "name", "alice", {}, { hosts: ["example"] })).toBe(
      "alice is already a user on example (hosts/example/configuration.nix): pick another username, or another host.",
    );
    expect(atPrompt(twoHosts, "name", "alice")).toBeUndefined(); // web1 is still free
    expect(atPrompt(twoHosts, "hosts", ["web1", "example"], { name: "alice" })).toMatch(/^alice is already a user on example/);
    expect(atPrompt(twoHosts, "hosts", ["web1"], { name: "alice" })).toBeUndefined();
  });

  it("is refused at the username when every host has them, so the host question is never empty", () => {
    expect(atPrompt(starter, "name", "alice")).toBe("alice is already a user on example: pick another username.");
  });

  it("hosts that have the user are not offered", () => {
    const choices = param(userSpec, "hosts").choices as (repo: ReturnType<typeof memoryRepo>, a: Answers) => string[];
    expect(choices(memoryRepo(twoHosts), { name: "alice" })).toEqual(["web1"]);
    expect(choices(memoryRepo(twoHosts), { name: "bob" })).toEqual(["example", "web1"]);
  });

  it("planning refuses it too, with the same sentence", () => {
    expect(() => planUser(memoryRepo(starter), { name: "alice", hosts: ["example"] })).toThrow(
      new GenError("alice is already a user on example (hosts/example/configuration.nix): pick another username, or another host."),
    );
  });
});

describe("reasons worded for where the answer came from", () => {
  it("a missing reuse config: drop --from only for someone who typed --from", () => {
    const flag = "The standalone config nix/bob/work.nix does not exist: create it first, or drop --from to let the generator create nix/bob/home.nix.";
    expect(() => planUser(memoryRepo(starter), { name: "bob", hosts: ["example"], pattern: "reuse", from: "nix/bob/work.nix" })).toThrow(new GenError(flag));
    const prompted = atPrompt(starter, "from", "nix/bob/work.nix", { name: "bob", pattern: "reuse" });
    expect(prompted).toBe("The standalone config nix/bob/work.nix does not exist: create it first, or accept the default nix/bob/home.nix, which is created when missing.");
    expect(prompted).not.toContain("--from");
    // The default is created when missing; an existing one is taken as it is.
    expect(atPrompt(starter, "from", "nix/bob/home.nix", { name: "bob", pattern: "reuse" })).toBeUndefined();
    expect(atPrompt(starter, "from", "nix/alice/home.nix", { name: "bob", pattern: "reuse" })).toBeUndefined();
  });

  it("--from with another pattern", () => {
    expect(() => checkGiven(userSpec, memoryRepo(starter), { name: "bob", hosts: ["example"], pattern: "shared", from: "nix/alice/home.nix" })).toThrow(
      "--from only applies to the reuse pattern: add --pattern reuse, or drop --from.",
    );
    expect(atPrompt(starter, "pattern", "shared", { name: "bob" }, { from: "nix/alice/home.nix" })).toBe(
      "--from only applies to the reuse pattern: pick reuse, or run again without --from.",
    );
  });

  it("no host picked", () => {
    expect(atPrompt(starter, "hosts", [], { name: "bob" })).toBe("Pick at least one host (space to select).");
    expect(() => planUser(memoryRepo(starter), { name: "bob", hosts: [] })).toThrow("Say which host bob goes on: add --host <name>.");
  });
});

describe("host folders", () => {
  const withFolder = { ...starter, "hosts/notes/README.md": "notes\n" };

  it("a folder without configuration.nix is not a host to add users to", () => {
    expect(atPrompt(withFolder, "hosts", ["notes"], { name: "bob" })).toBe(
      'There is no host "notes" (no hosts/notes/configuration.nix): the hosts here are example.',
    );
    const choices = param(userSpec, "hosts").choices as (repo: ReturnType<typeof memoryRepo>, a: Answers) => string[];
    expect(choices(memoryRepo(withFolder), { name: "bob" })).toEqual(["example"]);
  });

  it("nor a name a new host can take, said at the name", () => {
    const reason = "The folder hosts/notes already exists but holds no configuration.nix: pick another name, or move that folder away first.";
    expect(atPrompt(withFolder, "name", "notes", {}, {}, hostSpec)).toBe(reason);
    expect(() => planHost(memoryRepo(withFolder), { name: "notes", system: "x86_64-linux" })).toThrow(new GenError(reason));
  });
});

describe("checkGiven", () => {
  it("checks only what was given, each list item and the list as a whole", () => {
    const repo = memoryRepo(starter);
    expect(() => checkGiven(userSpec, repo, { name: "bob" })).not.toThrow();
    expect(() => checkGiven(userSpec, repo, { hosts: ["example", "example"] })).toThrow("The host example is listed twice: give each --host once.");
    expect(() => checkGiven(hostSpec, repo, { users: ["bob", "Bob"] })).toThrow(/username "Bob" has uppercase letters/);
    expect(() => checkGiven(hostSpec, repo, { stateVersion: "26.11" })).toThrow(/newer than the pinned NixOS 26\.05/);
  });
});

describe("on a Mac", () => {
  const withMac = applyInMemory(starter, planHost(memoryRepo(starter), { name: "mac1", system: "aarch64-darwin" }));
  const repo = memoryRepo(withMac);
  const shell = param(userSpec, "shell");

  it("offers zsh first and defaults to it when a host is a Mac, bash first otherwise", () => {
    expect(shell.order!(repo, { hosts: ["mac1"] })).toEqual(["zsh", "bash", "fish"]);
    expect(shell.order!(repo, { hosts: ["example", "mac1"] })[0]).toBe("zsh");
    expect(shell.order!(repo, { hosts: ["example"] })[0]).toBe("bash");
    expect(resolveUser(repo, { name: "bob", hosts: ["mac1"] }).shell).toBe("zsh");
    expect(resolveUser(repo, { name: "bob", hosts: ["example"] }).shell).toBe("bash");
    expect(resolveUser(repo, { name: "bob", hosts: ["mac1"], shell: "fish" }).shell).toBe("fish");
  });

  it("takes nix-darwin's integer state version, 7 by default, and refuses a NixOS release", () => {
    expect(resolveHost(repo, { name: "mac2", system: "x86_64-darwin" }).stateVersion).toBe("7");
    expect(resolveHost(repo, { name: "mac2", system: "x86_64-darwin", stateVersion: "4" }).stateVersion).toBe("4");
    expect(() => resolveHost(repo, { name: "mac2", system: "x86_64-darwin", stateVersion: "8" })).toThrow(/integer from 1 to 7/);
    expect(() => resolveHost(repo, { name: "mac2", system: "x86_64-darwin", stateVersion: "26.05" })).toThrow(/is a NixOS release/);
    expect(() => resolveHost(repo, { name: "web2", system: "x86_64-linux", stateVersion: "7" })).toThrow(/--system aarch64-darwin/);
    const prompt = param(hostSpec as typeof userSpec, "stateVersion").promptFor!;
    expect(prompt({ system: "aarch64-darwin" })).toMatch(/^nix-darwin state version/);
    expect(prompt({ system: "aarch64-linux" })).toMatch(/^NixOS state version/);
  });

  it("refuses a Mac in a flake without mkDarwin, saying what to copy", () => {
    const old = { ...starter, "flake.nix": starter["flake.nix"]!.replace(/\n {8}mkDarwin\n/, "\n") };
    expect(old["flake.nix"]).not.toMatch(/mkDarwin/);
    expect(() => planHost(memoryRepo(old), { name: "mac2", system: "aarch64-darwin" })).toThrow(/has no mkDarwin.*copy the nix-darwin input/);
  });
});
