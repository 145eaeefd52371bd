// The two Colmena parameters gen host and gen deploy share.
import { checkTag, checkTarget } from "./deploy-target.js";
import { type Param, twice } from "./spec.js";

export const TARGET_PARAM: Param = {
  name: "targetHost",
  flag: "target-host",
  kind: "string",
  required: false,
  help: "Where Colmena deploys the host over SSH, [user@]address[:port] (deployment.targetHost, targetUser, targetPort in hosts/<name>/deployment.nix).",
  defaultText: "the host's own name, as root",
  check: (v) => checkTarget(v),
};

export const TAGS_PARAM: Param = {
  name: "tags",
  flag: "tag",
  kind: "list",
  // One tag per flag: a comma is Colmena's separator in --on, so it is refused, not split.
  commaSeparated: false,
  required: false,
  help: "A Colmena tag (deployment.tags), so `colmena apply --on @<tag>` picks the host; repeat for more.",
  check: (v) => checkTag(v),
  checkList: (tags) => {
    const dup = twice(tags);
    return dup ? `The tag ${dup} is listed twice: give each --tag once.` : undefined;
  },
};
