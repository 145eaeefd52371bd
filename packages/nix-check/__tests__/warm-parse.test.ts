// The nix-instantiate a run starts before its plan is ready (warm-parse.ts):
// it must parse exactly what the plain way parses, name the same files, and
// leave no process or folder behind, used or not.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseNixSources, settleWarmParser, warmNixParser } from "../src/parse.js";
import { WARM_SLOTS, parseWithWarm } from "../src/warm-parse.js";

const mine = () => readdirSync(tmpdir()).filter((n) => n.startsWith(`nix-parse-${process.pid}-`));
/** The processes of group `pgid` that still run (killed ones may linger as zombies until reaped). */
const running = (pgid: number) =>
  readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      const [state, , group] = fields(readProc(p, "stat"));
      return pgid > 0 && Number(group) === pgid && state !== "Z";
    });

afterEach(async () => {
  await settleWarmParser();
  expect(mine()).toEqual([]);
});

describe("the warm nix-instantiate", () => {
  it("parses the files it is given, once", () => {
    warmNixParser();
    const run = parseWithWarm([
      { path: "flake.nix", content: "{ outputs = _: { }; }" },
      { path: "hosts/a/configuration.nix", content: "{ pkgs, ... }: { environment.systemPackages = [ pkgs.git ]; }" },
    ]);
    expect(run).toMatchObject({ status: 0 });
    expect(run?.paths).toHaveLength(2);
    // Used: the next parse has none waiting.
    expect(parseWithWarm([{ path: "a.nix", content: "{ }" }])).toBeUndefined();
  });

  it.each([
    ["a syntax error", "{ x = ; }", "syntax error"],
    ["an undefined variable", "{ x = pkgs.hello; }", "undefined variable 'pkgs'"],
  ])("reports %s in the file's repo path, as the plain parse does", (_what, content, needle) => {
    const files = [
      { path: "ok.nix", content: "{ }" },
      { path: "hosts/bad/configuration.nix", content },
    ];
    const plain = parseNixSources(files);
    warmNixParser();
    const warmed = parseNixSources(files);
    expect(warmed).toEqual(plain);
    expect(warmed).toMatchObject({ ok: false, kind: "parse", path: "hosts/bad/configuration.nix" });
    if (warmed.ok) return;
    expect(warmed.message).toContain(needle);
    expect(warmed.message).toContain("hosts/bad/configuration.nix:");
    expect(warmed.message).not.toContain("nix-parse-");
  });

  it("leaves more files than it has slots to the plain parse, which still finds the bad one", () => {
    warmNixParser();
    const files = Array.from({ length: WARM_SLOTS + 1 }, (_, i) => ({ path: `f${i}.nix`, content: i === WARM_SLOTS ? "{" : "{ }" }));
    expect(parseWithWarm(files)).toBeUndefined();
    warmNixParser();
    expect(parseNixSources(files)).toMatchObject({ ok: false, kind: "parse", path: `f${WARM_SLOTS}.nix` });
  });

  it("gives up at once when its Nix is gone before the check, and the plain parse answers", () => {
    const bin = mkdtempSync(join(tmpdir(), "warm-path-"));
    const saved = process.env.PATH;
    // A nix-instantiate that ends at once, before reading its input; the plain parse then finds the real one.
    const warmGone = () => {
      process.env.PATH = `${bin}:${saved ?? ""}`;
      warmNixParser();
      process.env.PATH = saved;
    };
    try {
      writeFileSync(join(bin, "nix-instantiate"), "#!/bin/sh\nexit 3\n", { mode: 0o755 });
      warmGone();
      const started = Date.now();
      expect(parseWithWarm([{ path: "a.nix", content: "{ }" }])).not.toMatchObject({ status: 0 });
      expect(Date.now() - started).toBeLessThan(10_000);
      warmGone();
      expect(parseNixSources([{ path: "a.nix", content: "{" }])).toMatchObject({ ok: false, kind: "parse", path: "a.nix" });
      warmGone();
      expect(parseNixSources([{ path: "a.nix", content: "{ }" }])).toEqual({ ok: true });
    } finally {
      process.env.PATH = saved;
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it("is killed with its process group and its folder removed when the run never checks", async () => {
    warmNixParser();
    const [dir] = mine();
    expect(dir).toBeDefined();
    // The process group of sh, which waits with Nix for its input (both name the folder and
    // share sh's group). A loaded machine may take a while to start them.
    const group = () => {
      const member = readdirSync("/proc").find((p) => /^\d+$/.test(p) && readProc(p, "cmdline").includes(join(tmpdir(), dir!)));
      return member === undefined ? 0 : Number(fields(readProc(member, "stat"))[2]);
    };
    await expect.poll(() => running(group()).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    const pid = group();
    await settleWarmParser();
    // SIGKILLed with sh; on a loaded machine the kernel may take a moment to end them.
    await expect.poll(() => running(pid), { timeout: 10_000 }).toEqual([]);
    expect(mine()).toEqual([]);
  });
});

/** /proc/<pid>/stat from field 3 (the state) on: the command before it may hold spaces. */
const fields = (stat: string) => stat.slice(stat.lastIndexOf(")") + 2).split(" ");

function readProc(pid: string, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return "";
  }
}
