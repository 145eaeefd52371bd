// Renames whose move alone would change behaviour, with what keeps it and
// the upstream line that says so. Home Manager 26.05 turns a diff tool's git
// integration on by itself only while the *old* option is defined
// (`lib.mkIf oldOptionEnabled (lib.mkOverride 1490 true)`), so after the
// rename git would stop using the tool unless the integration is set.
export interface FollowUp {
  /** The renamed option (old path). */
  from: string;
  /** The binding to add beside the moved one. */
  add: string;
  value: string;
  /** Where upstream says so, and its words. */
  source: string;
  says: string;
}

const hm = (tool: string, integration: string, line: number): FollowUp => ({
  from: `programs.git.${tool}.enable`,
  add: `programs.${tool}.${integration}`,
  value: "true",
  source: `home-manager release-26.05 modules/programs/${tool}.nix:${line}`,
  says: `\`programs.${tool}.${integration}\` automatic enablement is deprecated. Please explicitly set \`programs.${tool}.${integration} = true\`.`,
});

const FOLLOW_UPS: readonly FollowUp[] = [
  hm("delta", "enableGitIntegration", 124),
  hm("difftastic", "git.enable", 137),
  hm("diff-highlight", "enableGitIntegration", 88),
  hm("diff-so-fancy", "enableGitIntegration", 129),
  hm("patdiff", "enableGitIntegration", 70),
  hm("riff", "enableGitIntegration", 84),
];

export function followUpFor(from: readonly string[]): FollowUp | undefined {
  return FOLLOW_UPS.find((f) => f.from === from.join("."));
}
