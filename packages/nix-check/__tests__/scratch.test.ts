import { existsSync, mkdirSync, rmSync, statSync, statfsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchInRam } from "../vitest.scratch.js";

const TMPFS_MAGIC = 0x01021994;
const tmpfs = (dir: string) => {
  try {
    return statfsSync(dir).type === TMPFS_MAGIC;
  } catch {
    return false;
  }
};
// A folder on the disk: the repository's own, where the clone is.
const onDisk = new URL("..", import.meta.url).pathname;

describe("the tests' scratch folder", () => {
  it("moves TMPDIR from a disk into RAM, open to others, and sweeps only dead runs' folders", (ctx) => {
    if (!tmpfs("/dev/shm")) return ctx.skip("/dev/shm is not a tmpfs on this machine");
    if (tmpfs(onDisk)) return ctx.skip("the repository is in RAM already, so there is no disk to move from");
    const dead = join("/dev/shm", "starter-tests-999999999");
    const live = join("/dev/shm", "starter-tests-1"); // init's pid: always alive
    mkdirSync(dead, { recursive: true });
    const hadLive = existsSync(live);
    mkdirSync(live, { recursive: true });
    const env: NodeJS.ProcessEnv = { TMPDIR: onDisk };
    const dir = scratchInRam("/dev/shm", env);
    try {
      expect(dir).toBe(join("/dev/shm", `starter-tests-${process.pid}`));
      expect(env.TMPDIR).toBe(dir);
      expect(statSync(dir!).mode & 0o777).toBe(0o755);
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      // Workers end by SIGTERM, so its exit hook may never run: remove it here.
      if (dir) rmSync(dir, { recursive: true, force: true });
      if (!hadLive) rmSync(live, { recursive: true, force: true });
      rmSync(dead, { recursive: true, force: true });
    }
  });

  it("changes nothing when TMPDIR is in RAM already, when the RAM folder is no tmpfs, or when asked to keep it", () => {
    for (const [ram, env] of [
      ["/dev/shm", { TMPDIR: "/dev/shm" }],
      [onDisk, { TMPDIR: onDisk }],
      ["/dev/shm", { TMPDIR: onDisk, STARTER_TEST_TMPDIR: "keep" }],
    ] as const) {
      const copy: NodeJS.ProcessEnv = { ...env };
      expect(scratchInRam(ram, copy), JSON.stringify([ram, env])).toBeUndefined();
      expect(copy).toEqual(env);
    }
  });
});
