// Many runs on one repository at once: they take turns (.gen.lock), each
// plans on what the ones before it wrote, and every one of them lands. A
// run that waits says what for; a lock whose holder died is taken over; a
// cleanup touches only dead runs' files. Parallel runs are separate Node
// processes (that is the point); the waiting cases run main() in this
// process against a lock the test holds, so nothing depends on timing.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { evalFlakeStructure } from "@starter/nix-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../src/index.js";
import { lockTiming } from "../src/write/lock.js";
import { GEN_BIN, readTree, runMain, starterRepos, withEnv } from "./helpers.js";
import { deadPid, genProcess, lockContent, snapshot, workFiles } from "./processes.js";

const repo = starterRepos();

const LOCK = ".gen.lock";

describe("parallel runs", () => {
  it("3 rounds of 6 parallel gen host: every run exits 0 and every host is in the flake", async () => {
    const dir = repo();
    const names: string[] = [];
    for (let round = 1; round <= 3; round++) {
      const batch = Array.from({ length: 6 }, (_, i) => `r${round}h${i + 1}`);
      names.push(...batch);
      const runs = await Promise.all(batch.map((name) => genProcess(["host", name], dir)));
      for (const [i, run] of runs.entries()) {
        expect(run.stderr.split("\n").filter((l) => l.startsWith("error") || l.includes("    at ")), batch[i]).toEqual([]);
        expect(run.code, `${batch[i]}: ${run.stderr}`).toBe(0);
      }
    }
    const flake = readFileSync(join(dir, "flake.nix"), "utf8");
    for (const name of names) {
      expect(flake).toContain(`${name} = mkHost {\n          hostName = "${name}";`);
      expect(existsSync(join(dir, "hosts", name, "configuration.nix"))).toBe(true);
    }
    expect(workFiles(dir)).toEqual([]);
    expect(Object.keys(evalFlakeStructure(dir).hosts).sort()).toEqual(["example", ...names].sort());
    // Each run recorded its host on top of the runs before it: none is lost.
    const record = JSON.parse(readFileSync(join(dir, "gen-record.json"), "utf8")) as { entities: Record<string, unknown> };
    expect(Object.keys(record.entities).sort()).toEqual(names.map((n) => `host/${n}`).sort());
  });

  it("6 parallel gen user on one host: every run exits 0 and every user is on it", async () => {
    const dir = repo();
    const users = Array.from({ length: 6 }, (_, i) => `u${i + 1}`);
    const runs = await Promise.all(users.map((u) => genProcess(["user", u, "--host", "example"], dir)));
    for (const [i, run] of runs.entries()) expect(run.code, `${users[i]}: ${run.stderr}`).toBe(0);
    const tree = readTree(dir);
    for (const u of users) expect(tree[`hosts/example/home/${u}.nix`], u).toBeDefined();
    expect(workFiles(dir)).toEqual([]);
    const host = evalFlakeStructure(dir).hosts.example!;
    for (const u of users) expect(host.users).toContain(u);
    expect(Object.keys((JSON.parse(tree["gen-record.json"]!) as { entities: object }).entities).sort()).toEqual(users.map((u) => `user/example/${u}`));
  });
});

describe("waiting for the lock (held here by this test)", () => {
  // The notice comes at once and the lock is read every 10 ms: the same
  // steps as a real run's 1 s and 50 ms, without sleeping on them.
  const real = { ...lockTiming };
  beforeEach(() => Object.assign(lockTiming, { pollMs: 10, noticeMs: 0 }));
  afterEach(() => Object.assign(lockTiming, real));

  it("a run waits, says whom it waits for, and goes on once the lock is free", async () => {
    const dir = repo();
    writeFileSync(join(dir, LOCK), lockContent(process.pid, undefined, "gen host held-by-test"));
    const before = snapshot(dir);
    let stderr = "";
    let stdout = "";
    let noticed!: () => void;
    const notice = new Promise<void>((r) => (noticed = r));
    const running = main(["host", "web1"], {
      out: (t) => (stdout += t + "\n"),
      err: (t) => {
        stderr += t + "\n";
        if (t.startsWith("note: waiting")) noticed();
      },
      interactive: false,
      cwd: dir,
    });
    await notice;
    expect(stderr).toBe(`note: waiting for another pnpm gen run (pid ${process.pid}, gen host held-by-test) to finish with this repository (.gen.lock)...\n`);
    // Nothing is written while it waits.
    expect(snapshot(dir)).toEqual(before);
    rmSync(join(dir, LOCK));
    expect(await running).toBe(0);
    expect(stdout).toContain("✔ Add host web1");
    expect(readTree(dir)["hosts/web1/configuration.nix"]).toBeDefined();
    expect(workFiles(dir)).toEqual([]);
  });

  it("past the timeout: one error line naming the holder and what to do, nothing changed", async () => {
    const dir = repo();
    writeFileSync(join(dir, LOCK), lockContent(process.pid, undefined, "gen user bob"));
    const before = snapshot(dir);
    const result = await withEnv({ STARTER_GEN_LOCK_TIMEOUT_MS: "200" }, () => runMain(["host", "web1"], dir));
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^note: waiting for another pnpm gen run/);
    expect(lines.slice(1)).toHaveLength(1);
    expect(lines[1]).toMatch(
      new RegExp(`^error: another pnpm gen run \\(pid ${process.pid}, gen user bob\\) has held .*\\.gen\\.lock for the \\d+ s this run waited: let it finish and run again; if it hangs, stop it \\(kill ${process.pid}\\)\\.$`),
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it("a run stopped (SIGTERM) while it waits leaves nothing behind", async () => {
    const dir = repo();
    writeFileSync(join(dir, LOCK), lockContent(process.pid));
    const before = snapshot(dir);
    const child = spawn(process.execPath, [GEN_BIN, "host", "web1"], { cwd: dir, env: { ...process.env, INIT_CWD: dir }, stdio: ["ignore", "ignore", "pipe"] });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on("close", (_code, signal) => r(signal)));
    await new Promise<void>((r) => child.stderr.on("data", (d: Buffer) => d.toString().includes("note: waiting") && r()));
    child.kill("SIGTERM");
    expect(await exited).toBe("SIGTERM");
    expect(snapshot(dir)).toEqual(before);
  });

  it("a lock whose process has died is taken over, silently", async () => {
    const dir = repo();
    writeFileSync(join(dir, LOCK), lockContent(await deadPid(), null));
    const result = await runMain(["host", "web1"], dir);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(workFiles(dir)).toEqual([]);
  });

  it("a dead run's lock and the takeover file of a waiter killed mid-takeover: both go, the run lands", async () => {
    const dir = repo();
    writeFileSync(join(dir, LOCK), lockContent(await deadPid(), null));
    writeFileSync(join(dir, `${LOCK}.takeover`), lockContent(await deadPid(), null, "takeover"));
    const result = await runMain(["host", "web1"], dir);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(workFiles(dir)).toEqual([]);
  });

  it("a lock that names nobody (edited by hand) is not taken over: the error says to delete it", async () => {
    const dir = repo();
    writeFileSync(join(dir, LOCK), "garbage\n");
    const before = snapshot(dir);
    const result = await withEnv({ STARTER_GEN_LOCK_TIMEOUT_MS: "200" }, () => runMain(["host", "web1"], dir));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\nerror: another pnpm gen run has held .*\.gen\.lock for the \d+ s this run waited: let it finish and run again; if no run is going on, delete .*\.gen\.lock\.\n$/);
    expect(snapshot(dir)).toEqual(before);
  });

  it("6 runs find a dead run's lock at once: one at a time takes over, and all 6 land", async () => {
    const dir = repo();
    writeFileSync(join(dir, LOCK), lockContent(await deadPid(), null));
    const names = Array.from({ length: 6 }, (_, i) => `t${i + 1}`);
    const runs = await Promise.all(names.map((name) => genProcess(["host", name], dir)));
    for (const [i, run] of runs.entries()) expect(run.code, `${names[i]}: ${run.stderr}`).toBe(0);
    const flake = readFileSync(join(dir, "flake.nix"), "utf8");
    for (const name of names) expect(flake).toContain(`${name} = mkHost {`);
    expect(workFiles(dir)).toEqual([]);
  });

  it("a lock naming a live pid with another start time (a reused pid) is taken over", async () => {
    const dir = repo();
    writeFileSync(join(dir, LOCK), lockContent(process.pid, "1"));
    const result = await runMain(["host", "web1"], dir);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(workFiles(dir)).toEqual([]);
  });
});

describe("cleanup touches only dead runs", () => {
  it("a live process's temp file stays; a dead one's goes", async () => {
    const dir = repo();
    const live = spawn("sleep", ["60"], { stdio: "ignore" });
    try {
      const liveTemp = `hosts/example/configuration.nix.${live.pid}.gen-tmp`;
      const deadTemp = `flake.nix.${await deadPid()}.gen-tmp`;
      writeFileSync(join(dir, liveTemp), "a live run's half");
      writeFileSync(join(dir, deadTemp), "a dead run's half");
      const result = await runMain(["host", "web1"], dir);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe("note: removed 1 temp file(s) an interrupted run left behind.\n");
      expect(readTree(dir)[liveTemp]).toBe("a live run's half");
      expect(existsSync(join(dir, deadTemp))).toBe(false);
    } finally {
      live.kill();
    }
  });
});
