// gen update's parameters: which hosts, and --adopt for a fork from before
// the record. --dry-run and --yes are the CLI's own flags.
import { checkHostName } from "../../answers/rules.js";
import type { GeneratorSpec } from "../../answers/spec.js";
import { twice } from "../../answers/spec.js";
import { isHost, listHosts, noSuchHost } from "../../repo/facts.js";

/** gen update's answers: the hosts to update (default every recorded entity), or --adopt. */
export type UpdateAnswers = { hosts?: string[]; adopt?: boolean };

export const updateSpec: GeneratorSpec<UpdateAnswers> = {
  name: "update",
  description: "Merge template changes into the hosts and users generated before (a three-way merge, like copier's), from gen-record.json.",
  example: "pnpm gen update --host web1 --dry-run",
  minimal: "pnpm gen update",
  // A fork with only standalone homes, or one being adopted, may have no host.
  needsHost: false,
  params: [
    {
      name: "hosts",
      flag: "host",
      kind: "list",
      required: false,
      choices: (repo) => listHosts(repo),
      help: "Update only this host's entities (its configuration, users and deployment). Repeat for more.",
      defaultText: "every recorded entity",
      check: (v, ctx) => checkHostName(v) ?? (isHost(ctx.repo, v) ? undefined : noSuchHost(v, ctx.repo)),
      checkList: (values) => {
        const dup = twice(values);
        return dup === undefined ? undefined : `--host ${dup} is given twice: give each host once.`;
      },
    },
    {
      name: "adopt",
      flag: "adopt",
      kind: "boolean",
      required: false,
      default: false,
      help: "For a fork from before gen-record.json: record the hosts, users and deployments it holds, with the current templates as their base. Changes no .nix file.",
    },
  ],
};
