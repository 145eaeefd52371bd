// Failures, kills and pauses injected into a write, read from variables. Only
// the tests' own entry (__tests__/gen-test.mjs) and in-process tests call
// this: the shipped CLI never reads these variables, so a stray one in a
// user's environment cannot touch a real run.
import type { ApplyHooks, ApplyStep } from "./apply.js";

/**
 * Test hooks, all off unless set:
 * - STARTER_GEN_PAUSE_MS: sleep after each temp file is written (a test kills the run then);
 * - STARTER_GEN_PAUSE_AT=N: with it, sleep only after the Nth, so a kill late in the write waits on one pause, not N;
 * - STARTER_GEN_CRASH_AT=journal|temp:N|rename:N: SIGKILL this process right after that step;
 * - STARTER_GEN_FAIL_AT=<step>:<CODE> (step: journal, mkdir, write, rename): that step fails
 *   with that errno code, where a real read-only folder or full disk cannot be had.
 */
export function testHooks(env: NodeJS.ProcessEnv): ApplyHooks {
  const hooks: ApplyHooks = {};
  const ms = Number(env.STARTER_GEN_PAUSE_MS ?? 0);
  const pauseAt = env.STARTER_GEN_PAUSE_AT === undefined ? undefined : Number(env.STARTER_GEN_PAUSE_AT);
  const pause = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  const crashAt = env.STARTER_GEN_CRASH_AT;
  const crash = (at: string) => {
    if (at === crashAt) process.kill(process.pid, "SIGKILL");
  };
  if (ms > 0 || crashAt) {
    hooks.afterTempWrite = (_path, n) => {
      if (ms > 0 && (pauseAt === undefined || pauseAt === n)) pause();
      crash(`temp:${n}`);
    };
  }
  if (crashAt) {
    hooks.afterJournal = () => crash("journal");
    hooks.afterRename = (_path, n) => crash(`rename:${n}`);
  }
  const failAt = /^(journal|mkdir|write|rename|remove|rmdir):([A-Z]+)$/.exec(env.STARTER_GEN_FAIL_AT ?? "");
  if (failAt) {
    hooks.beforeStep = (step: ApplyStep, path: string) => {
      if (step !== failAt[1]) return;
      const syscall = step === "write" || step === "journal" ? "open" : step === "remove" ? "unlink" : step;
      throw Object.assign(new Error(`${failAt[2]}: injected failure, ${syscall} '${path}'`), { code: failAt[2], syscall, path });
    };
  }
  return hooks;
}
