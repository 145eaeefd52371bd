// Where "Edit this page" points: the fork's own repository, never a fixed one.
// GitHub Actions names it (GITHUB_REPOSITORY); a local build asks git for the
// origin remote; without either, pages have no edit link.
import { execFileSync } from "node:child_process";

/** The site's folder inside the repository; pages are under its docs/. */
const SITE_DIR = "apps/docs/";

/** owner/name of a GitHub remote URL (https, ssh or scp-like), or undefined. */
export function githubRepoOf(remote: string): string | undefined {
  const m = /^(?:https?:\/\/(?:[^@/]+@)?|ssh:\/\/git@|git@)github\.com[:/]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(remote.trim());
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/**
 * The docs plugin's `editUrl` (the page's path under apps/docs is appended),
 * or undefined when the repository is not known.
 */
export function editUrl(env: NodeJS.ProcessEnv, originRemote: () => string | undefined): string | undefined {
  const fromActions = env.GITHUB_REPOSITORY?.trim();
  const repo = fromActions ? fromActions : githubRepoOf(originRemote() ?? "");
  if (!repo) return undefined;
  const server = fromActions ? (env.GITHUB_SERVER_URL?.trim() || "https://github.com") : "https://github.com";
  // A push builds the branch it pushed; pull requests and local builds link to main.
  const branch = fromActions && env.GITHUB_EVENT_NAME === "push" && env.GITHUB_REF_TYPE === "branch" && env.GITHUB_REF_NAME ? env.GITHUB_REF_NAME : "main";
  return `${server.replace(/\/+$/, "")}/${repo}/edit/${branch}/${SITE_DIR}`;
}

/** The URL of the checkout's origin remote, or undefined without git or a remote. */
export function gitOrigin(cwd: string): string | undefined {
  try {
    return execFileSync("git", ["remote", "get-url", "origin"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}
