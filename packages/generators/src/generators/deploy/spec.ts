// gen deploy's parameters.
import { checkHostName } from "../../answers/rules.js";
import { isHost, listHosts, noSuchHost } from "../../repo/facts.js";
import { HOST_KEY_FILE_PARAM } from "../secret/host-key.js";
import type { GeneratorSpec } from "../../answers/spec.js";
import type { DeployAnswers } from "../../answers/rules.js";
import { TAGS_PARAM, TARGET_PARAM } from "../../answers/deploy-params.js";

export const deploySpec: GeneratorSpec<DeployAnswers> = {
  name: "deploy",
  description: "Set or change where Colmena deploys an existing host, and its tags: hosts/<name>/deployment.nix.",
  example: "pnpm gen deploy web1 --target-host deploy@198.51.100.2:2222 --tag web --tag eu",
  minimal: "pnpm gen deploy web1 --target-host root@192.0.2.7",
  params: [
    {
      name: "name",
      flag: "name",
      kind: "choice",
      positional: true,
      required: true,
      choices: (repo) => listHosts(repo),
      prompt: "Host",
      help: "The host (a folder in hosts/) to deploy with Colmena.",
      check: (v, ctx) => checkHostName(v) ?? (isHost(ctx.repo, v) ? undefined : noSuchHost(v, ctx.repo)),
    },
    {
      ...TARGET_PARAM,
      prompt: "Target, [user@]address[:port] (empty keeps the current one)",
      help: "Where Colmena deploys the host over SSH, [user@]address[:port]; replaces the host's target (user and port included).",
      defaultText: "the current target",
    },
    {
      ...TAGS_PARAM,
      prompt: "Tags (comma-separated; empty keeps the current ones)",
      help: "A Colmena tag, so `colmena apply --on @<tag>` picks the host; the tags given replace the host's tags. Repeat for more.",
      defaultText: "the current tags",
    },
    HOST_KEY_FILE_PARAM,
  ],
};
