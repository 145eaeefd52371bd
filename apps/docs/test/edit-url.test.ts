// "Edit this page" links to the fork that built the site, or to nothing.
import { describe, expect, it } from "vitest";
import { editUrl, githubRepoOf } from "../src/site/edit-url.js";

const noRemote = () => undefined;

describe("the edit link", () => {
  it("points at the repository GitHub Actions builds", () => {
    const env = { GITHUB_REPOSITORY: "erin/infra", GITHUB_SERVER_URL: "https://github.com", GITHUB_EVENT_NAME: "push", GITHUB_REF_TYPE: "branch", GITHUB_REF_NAME: "trunk" };
    expect(editUrl(env, () => "git@github.com:someone/else.git")).toBe("https://github.com/erin/infra/edit/trunk/apps/docs/");
    // A pull request's ref is not a branch of the fork: link to main.
    expect(editUrl({ ...env, GITHUB_EVENT_NAME: "pull_request", GITHUB_REF_NAME: "7/merge" }, noRemote)).toBe(
      "https://github.com/erin/infra/edit/main/apps/docs/",
    );
  });

  it("falls back to the origin remote, and to no link at all", () => {
    expect(editUrl({}, () => "https://github.com/erin/infra.git")).toBe("https://github.com/erin/infra/edit/main/apps/docs/");
    expect(editUrl({}, () => "git@gitlab.com:erin/infra.git")).toBeUndefined();
    expect(editUrl({}, noRemote)).toBeUndefined();
    expect(editUrl({ GITHUB_REPOSITORY: " " }, noRemote)).toBeUndefined();
  });

  it("reads every usual form of a GitHub remote", () => {
    for (const remote of [
      "https://github.com/erin/infra",
      "https://github.com/erin/infra.git",
      "https://token@github.com/erin/infra.git",
      "git@github.com:erin/infra.git",
      "ssh://git@github.com/erin/infra.git",
    ]) {
      expect(githubRepoOf(remote), remote).toBe("erin/infra");
    }
    expect(githubRepoOf("https://example.org/erin/infra.git")).toBeUndefined();
    expect(githubRepoOf("/srv/git/infra.git")).toBeUndefined();
  });
});
