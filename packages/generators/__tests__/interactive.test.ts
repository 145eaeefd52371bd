// The prompts, driven through a real pseudo-terminal (util-linux `script`):
// questions appear in order, a bad answer is refused in the prompt with its
// reason, and the answers end in the same files flags would write.
import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { GEN_BIN, makeRepo, readTree, starterFiles, removeRepo } from "./helpers.js";

const ENTER = "\r";
const DOWN = "\u001b[B";
const BACKSPACE = "\u007f";
const plain = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "");

/** Runs the CLI in a pty; each step waits for `prompt` in the output, then types `keys`. */
function drive(cwd: string, args: string[], steps: Array<[prompt: string | RegExp, keys: string]>): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, GEN_BIN, ...args].map((a) => `'${a}'`).join(" ");
  const child = spawn("script", ["-qfec", command, "/dev/null"], { cwd, env: { ...process.env, INIT_CWD: cwd, COLUMNS: "200" } });
  let output = "";
  let step = 0;
  let seenAt = 0;
  const advance = () => {
    while (step < steps.length) {
      const [prompt, keys] = steps[step]!;
      const text = plain(output).slice(seenAt);
      const found = typeof prompt === "string" ? text.indexOf(prompt) : text.search(prompt);
      if (found === -1) return;
      seenAt += found + 1;
      step++;
      child.stdin.write(keys);
    }
  };
  child.stdout.on("data", (d: Buffer) => {
    output += d.toString();
    advance();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timed out at step ${step}; output so far:\n${plain(output)}`));
    }, 20_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output: plain(output) });
    });
  });
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeRepo));

describe("interactive prompts", () => {
  it("gen host asks each question, refuses a bad name with its reason, then writes", async () => {
    const dir = makeRepo(starterFiles());
    dirs.push(dir);
    const { code, output } = await drive(dir, ["host"], [
      ["Host name", "Lab_1" + ENTER],
      ["has uppercase letters", BACKSPACE.repeat(5) + "lab1" + ENTER],
      ["System", DOWN + ENTER],
      ["NixOS state version", ENTER],
      ["Users to add now", "bob" + ENTER],
    ]);
    expect(output).toContain("✔ Add host lab1");
    expect(code).toBe(0);
    const tree = readTree(dir);
    expect(tree["flake.nix"]).toContain('lab1 = mkHost { hostName = "lab1"; system = "aarch64-linux"; };');
    expect(tree["hosts/lab1/home/bob.nix"]).toContain("imports = [ ../../../modules/home ];");
  });

  it("gen user skips what flags already answered and asks the rest", async () => {
    const dir = makeRepo(starterFiles());
    dirs.push(dir);
    const { code, output } = await drive(dir, ["user", "zoe", "--email", "zoe@example.com"], [
      ["Hosts to add the user to", ENTER], // the only host is picked already
      ["Full name", 'Zoë "Z" ${x}' + ENTER],
      ["Home pattern", DOWN + ENTER], // from the default (shared) to reuse
      ["Standalone config to reuse", ENTER],
      ["Login shell", DOWN + ENTER], // zsh
      ["standalone homeConfiguration", "y" + ENTER],
    ]);
    expect(output).not.toContain("? Username");
    expect(output).not.toContain("? Email");
    expect(code).toBe(0);
    const tree = readTree(dir);
    expect(tree["nix/zoe/home.nix"]).toContain('name = "Zoë \\"Z\\" \\${x}";');
    expect(tree["flake.nix"]).toContain('"zoe@example" = mkHome');
    expect(tree["hosts/example/configuration.nix"]).toContain("shell = pkgs.zsh;");
  });
});
