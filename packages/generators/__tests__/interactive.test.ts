// Ctrl-C in a real pseudo-terminal (util-linux `script`): it is a signal to
// the process, so these few stay out of process; every other prompt test is
// in-process (prompts.test.ts). Ctrl-C writes nothing and ends as 130.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { type Step, plain, typist } from "./fake-terminal.js";
import { GEN_BIN, REPO_ROOT, readTree, runMain, starterRepos } from "./helpers.js";

const ENTER = "\r";
const CTRL_C = "\u0003";

/** Runs the CLI in a pty; each step waits for `prompt` in the output, then types `keys`. */
function drive(
  cwd: string,
  args: string[],
  steps: Step[],
  argv0: string[] = [process.execPath, GEN_BIN],
): Promise<{ code: number | null; output: string }> {
  const command = [...argv0, ...args].map((a) => `'${a}'`).join(" ");
  const child = spawn("script", ["-qfec", command, "/dev/null"], { cwd, env: { ...process.env, INIT_CWD: cwd, COLUMNS: "200" } });
  let output = "";
  const keys = typist(steps, (k) => child.stdin.write(k));
  child.stdout.on("data", (d: Buffer) => {
    output += d.toString();
    keys.seen(output);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timed out at step ${keys.done()}; output so far:\n${plain(output)}`));
    }, 20_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output: plain(output) });
    });
  });
}

// Each session mostly waits on its pty, so the tests run at once; the temp
// repos go when all are done.
const repo = starterRepos({ until: "all" });

describe.concurrent("Ctrl-C writes nothing", () => {
  it("Ctrl-C at Write N files? says so on a line of its own and ends as interrupted (130)", async () => {
    const dir = repo();
    const before = readTree(dir);
    const steps: Array<[string | RegExp, string]> = [["Host name", "web1" + ENTER], ["System", ENTER], ["NixOS state version", ENTER], ["Users to add now", ENTER], [/Write 4 files\?/, CTRL_C]];
    const { code, output } = await drive(dir, ["host"], steps);
    expect(output).toMatch(/\nCancelled: nothing was written\.\r?\n/);
    expect(code).toBe(130);
    expect(readTree(dir)).toEqual(before);
  });

  it("under pnpm gen, pnpm's own failure line comes after ours, never on the prompt's line", async () => {
    const dir = repo();
    const before = readTree(dir);
    const { code, output } = await drive(REPO_ROOT, ["host", "--root", dir], [["Host name", "web" + CTRL_C]], ["pnpm", "gen"]);
    expect(code).toBe(130);
    const lines = output.split(/\r?\n/);
    const cancelled = lines.findIndex((l) => l.trim() === "Cancelled: nothing was written.");
    expect(cancelled).toBeGreaterThan(-1);
    for (const [i, line] of lines.entries()) if (line.includes("ELIFECYCLE")) expect(i).toBeGreaterThan(cancelled);
    expect(lines.find((l) => l.includes("Host name") && l.includes("ELIFECYCLE"))).toBeUndefined();
    expect(readTree(dir)).toEqual(before);
  });

  it("Ctrl-C at the question removes nothing (130)", async () => {
    const dir = repo();
    expect((await runMain(["host", "rm1", "--user", "ru1"], dir)).code).toBe(0);
    const before = readTree(dir);
    const { code, output } = await drive(dir, ["remove", "user", "ru1"], [[/\(y\/N\)/, CTRL_C]]);
    expect(output).toMatch(/\nCancelled: nothing was removed\.\r?\n/);
    expect(code).toBe(130);
    expect(readTree(dir)).toEqual(before);
  });
});
