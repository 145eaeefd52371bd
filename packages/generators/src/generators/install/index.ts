// gen install as the registry loads it: its parameters and its command,
// which re-encrypts the host's secrets to the new host key (--identity
// decrypts them) inside the same plan as the key's public half.
import { homedir } from "node:os";
import type { Generator } from "../registry.js";
import { rekeyHostSecrets } from "../secret/rekey.js";
import { installCommand } from "./command.js";
import { type InstallFlags, installSpec } from "./spec.js";

export const generator: Generator = {
  spec: installSpec,
  command: (answers: InstallFlags, ctx) =>
    installCommand(answers, ctx, {
      rekey: (tree, host, publicKey) => {
        const identity = answers.identity !== undefined ? { identity: answers.identity } : {};
        rekeyHostSecrets(tree, tree, host, publicKey, { ...identity, cwd: ctx.cwd, home: homedir() });
      },
    }),
};
