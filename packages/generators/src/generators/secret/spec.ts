// gen secret's parameters. The value is never one: argv is visible in ps,
// so it comes from standard input, a hidden prompt or --value-file.
import type { GeneratorSpec } from "../../answers/spec.js";
import { isHost, listHosts, noSuchHost } from "../../repo/facts.js";
import { twice } from "../../answers/spec.js";
import { type SecretAnswers, checkSecretName } from "./answers.js";

export const secretSpec: GeneratorSpec<SecretAnswers> = {
  name: "secret",
  description: "Add, re-key or rotate an agenix secret: secrets/<name>.age, encrypted to its hosts' SSH host keys and the admins'.",
  example: "printf '%s' \"$WIFI_PASSWORD\" | pnpm gen secret wifi --host web1 --host web2 --owner root --mode 0400 --admin-key-file ~/.ssh/id_ed25519.pub",
  minimal: "printf '%s' \"$VALUE\" | pnpm gen secret wifi --host web1 --admin-key-file ~/.ssh/id_ed25519.pub",
  params: [
    {
      name: "name",
      flag: "name",
      kind: "string",
      positional: true,
      required: true,
      prompt: "Secret's name (secrets/<name>.age)",
      help: "The secret's name: secrets/<name>.age, age.secrets.<name> on each host.",
      check: (v) => checkSecretName(v),
    },
    {
      name: "hosts",
      flag: "host",
      kind: "list",
      required: true,
      commaSeparated: true,
      choices: (repo) => listHosts(repo),
      prompt: "Hosts that decrypt it",
      help: "A host that decrypts the secret with its SSH host key (hosts/<host>/ssh_host_ed25519_key.pub); the hosts given are the whole set, so running again with others re-keys. Repeat for more.",
      check: (v, ctx) => (isHost(ctx.repo, v) ? undefined : noSuchHost(v, ctx.repo)),
      checkList: (values) => {
        const dup = twice(values);
        return dup === undefined ? undefined : `--host ${dup} is given twice: give each host once.`;
      },
    },
    { name: "owner", flag: "owner", kind: "string", required: false, help: "Who owns the decrypted file on the host.", defaultText: "root (agenix's default)" },
    { name: "mode", flag: "mode", kind: "string", required: false, help: "The decrypted file's mode, as chmod takes it.", defaultText: "0400 (agenix's default)" },
    {
      name: "adminKeyFile",
      flag: "admin-key-file",
      kind: "string",
      required: false,
      help: "An admin's ed25519 public key (.pub), who may re-encrypt every secret: needed by the first secret, added to the admins after.",
    },
    {
      name: "identity",
      flag: "identity",
      kind: "string",
      required: false,
      help: "The private SSH key that decrypts the secret to re-key it (an admin's or one of its hosts').",
      defaultText: "~/.ssh/id_ed25519",
    },
    { name: "rotate", flag: "rotate", kind: "boolean", required: false, help: "Take a new value for an existing secret (else a re-run keeps the value and re-keys)." },
    {
      name: "valueFile",
      flag: "value-file",
      kind: "string",
      required: false,
      help: "A file outside the repository holding the value, taken byte for byte (else standard input, or a hidden prompt in a terminal).",
    },
  ],
};
