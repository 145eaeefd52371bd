// What the guide says, checked in the built HTML: statements that Home Manager
// 26.05's source contradicts stay out, and the pages readers get stuck without
// are there.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RELEASE } from "@starter/generators";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../scripts/render-examples.mjs";
import { BUILD_DIR, codeBlocks, decodeEntities, pages, requireBuild } from "./site.js";

/** The readable text of a built page's article, code included, on one line. */
function articleText(html: string): string {
  const article = /<article[\s\S]*<\/article>/.exec(html)?.[0] ?? html;
  return decodeEntities(article.replace(/<[^>]*>/g, " ")).replace(/\s+/g, " ");
}

/** Text outside code: what a reader sees in the prose, the navbar and headings. */
function proseText(html: string): string {
  const body = /<body[\s\S]*<\/body>/.exec(html)?.[0] ?? html;
  const withoutCode = body.replace(/<pre[\s\S]*?<\/pre>/g, " ").replace(/<code[\s\S]*?<\/code>/g, " ").replace(/<script[\s\S]*?<\/script>/g, " ");
  return decodeEntities(withoutCode.replace(/<[^>]*>/g, " ")).replace(/\s+/g, " ");
}

const built = (file: string) => readFileSync(join(BUILD_DIR, file), "utf8");

// Each is a phrasing the guide once had, and what Home Manager release-26.05 shows instead.
const CONTRADICTED = [
  // modules/misc/nixpkgs-disabled.nix: a warning for one of nixpkgs.config/overlays, an error for both.
  "set inside a home file have no effect",
  "in a home file is ignored",
  "use the system's package set and ignore them",
  // With the reuse pattern, a host imports the standalone home file: it cannot set nixpkgs.* either.
  "Whatever it needs of those, it must set itself",
  // flake.nix: Home Manager's own nixpkgs serves its lib, packages and tests, not the homes.
  "are both downloaded and evaluated",
  "homes may be built from a different nixpkgs",
  // darwinModules.home-manager exists, and standalone Home Manager runs on macOS.
  "integrated homes only exist on NixOS",
  "any Linux with Nix",
  // The CI runs --no-build, on main and pull requests, and needs --all-systems for other systems.
  "evaluates and builds them all",
  "runs it on every push",
  // modules/home-environment.nix removes home-manager-path itself under useUserPackages.
  "nix profile remove home-manager-path",
  "remove that entry",
  // The generators print both ways for the same user and host.
  "Deploy a given user on a given machine one way only",
];

describe("the guide", () => {
  it("no longer says what Home Manager 26.05 contradicts", () => {
    requireBuild();
    for (const page of pages()) {
      const text = articleText(page.html);
      for (const phrase of CONTRADICTED) expect(text, `${page.name}: "${phrase}"`).not.toContain(phrase);
    }
  });

  it("says what Home Manager 26.05 does instead", () => {
    requireBuild();
    const text = (file: string) => articleText(built(file));
    expect(text("setup.html")).toContain("nixpkgs options are disabled when home-manager.useGlobalPkgs is enabled");
    expect(text("setup.html")).toContain("a second lock entry and a second download");
    expect(text("trade-offs.html")).toContain("in mkHome");
    expect(text("why-integrate.html")).toContain("nix-darwin");
    expect(text("migration.html")).toContain("removes home-manager-path from alice's own profile itself");
    expect(text("best-practices.html")).toContain("A bare home-manager switch --flake . on web1 picks erin@web1 before erin");
  });

  it("describes the fork CI's flake check as the workflow runs it", () => {
    const workflow = readFileSync(join(REPO_ROOT, ".github/workflows/ci.yml"), "utf8");
    const command = /run: (nix flake check[^\n]*)/.exec(workflow)?.[1] ?? "";
    expect(command).toContain("--all-systems");
    const shown = command.replace(/ --print-build-logs/, "");
    expect(articleText(built("both-approaches.html"))).toContain(shown);
  });

  it("has a troubleshooting page with the activation log's commands and Home Manager's manual", () => {
    requireBuild();
    const html = built("troubleshooting.html");
    const code = codeBlocks(html).map((b) => b.code).join("\n");
    expect(code).toMatch(/^systemctl status home-manager-alice$/m);
    expect(code).toMatch(/^journalctl -u home-manager-alice$/m);
    expect(code).toContain("--show-trace");
    const text = articleText(html);
    for (const option of ["home-manager.backupFileExtension", "home-manager.overwriteBackup", "force = true", "would be clobbered", "the following units failed"]) {
      expect(text, option).toContain(option);
    }
    expect(html).toContain('href="https://nix-community.github.io/home-manager/"');
  });

  it("has the pages readers look for: upgrading, an FAQ, and links out", () => {
    requireBuild();
    expect(articleText(built("upgrading.html"))).toContain("home-manager news");
    const faq = articleText(built("faq.html"));
    for (const topic of ["hm-session-vars.sh", "sharedModules", "sops-nix", "agenix", `'.#homeConfigurations."erin@web1".activationPackage'`]) {
      expect(faq, topic).toContain(topic);
    }
    const landing = built("index.html");
    expect(articleText(landing)).toContain("See also");
    for (const link of ["https://nix-community.github.io/home-manager/", "https://home-manager-options.extranix.com/", "https://nix-community.github.io/home-manager/release-notes.xhtml"]) {
      expect(landing, link).toContain(`href="${link}`);
    }
  });

  it("names the pinned release on the landing page, outside code", () => {
    requireBuild();
    const prose = proseText(built("index.html"));
    expect(prose).toContain(`NixOS ${RELEASE} and Home Manager ${RELEASE}`);
    expect(prose).toContain(`NixOS & Home Manager ${RELEASE}`);
  });

  it("keeps Performance out of the reader's sidebar, under Project", () => {
    requireBuild();
    const sidebarLinks = (html: string) =>
      [...html.matchAll(/<a class="menu__link[^"]*"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => decodeEntities((m[1] ?? "").replace(/<[^>]*>/g, "")).trim());
    expect(sidebarLinks(built("setup.html"))).not.toContain("Performance");
    expect(sidebarLinks(built("setup.html"))).toContain("Troubleshooting");
    expect(sidebarLinks(built("performance.html"))).toContain("Performance");
    expect(built("setup.html")).toMatch(/class="navbar__item navbar__link"[^>]*>Project</);
  });
});
