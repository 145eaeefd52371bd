import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Config } from "@docusaurus/types";
import type * as Preset from "@docusaurus/preset-classic";
import { themes as prismThemes, type PrismTheme } from "prism-react-renderer";
import { baseUrl, siteUrl } from "./site-config.mjs";
import { addWordPartsToTokenizer } from "./src/search/identifier-tokens";
import { editUrl, gitOrigin } from "./src/site/edit-url";

/** The release the reference flake pins, as the render step recorded it (nixos-26.05, release-26.05). */
function pinnedRelease(): string {
  const manifest = new URL("./src/generated/manifest.json", import.meta.url);
  if (!existsSync(manifest)) throw new Error("src/generated/manifest.json is missing: run `pnpm --filter @starter/docs render` first (build and start do).");
  return (JSON.parse(readFileSync(manifest, "utf8")) as { release: string }).release;
}
const release = pinnedRelease();

// The search plugin indexes with its own copy of lunr: teach that copy to
// split option names (home.stateVersion, useGlobalPkgs) into searchable parts.
const pluginRequire = createRequire(createRequire(import.meta.url).resolve("@easyops-cn/docusaurus-search-local"));
addWordPartsToTokenizer(pluginRequire("lunr"));

/** A Prism theme whose comments are readable: WCAG AA, 4.5:1 against the block, highlighted lines included. */
function withCommentColor(theme: PrismTheme, color: string): PrismTheme {
  return {
    ...theme,
    styles: [...theme.styles, { types: ["comment", "prolog", "doctype", "cdata"], style: { color, fontStyle: "italic" } }],
  };
}

const HM_MANUAL = "https://nix-community.github.io/home-manager/";

const config: Config = {
  title: "NixOS + Home Manager starter",
  tagline: "A forkable flake for NixOS machines and their users' homes, with generators that write hosts and users for you.",
  favicon: "img/favicon.svg",

  url: siteUrl(),
  baseUrl: baseUrl(),
  trailingSlash: false,

  onBrokenLinks: "throw",
  onBrokenAnchors: "throw",
  markdown: {
    // .md files (such as the copied benchmark results) are plain CommonMark;
    // .mdx files are MDX.
    format: "detect",
    hooks: { onBrokenMarkdownLinks: "throw", onBrokenMarkdownImages: "throw" },
  },

  i18n: { defaultLocale: "en", locales: ["en"] },

  // Rspack, SWC and Lightning CSS (@docusaurus/faster) instead of webpack,
  // Babel and Terser: a cold build, which every CI run is, takes a fraction.
  // HTML is still minified by html-minifier-terser, so the pages' markup is
  // what it was (SWC's minifier drops attribute quotes). SSG worker threads
  // stay off: they need the v4 head-attribute flag; 2 cores gain little.
  future: {
    faster: {
      swcJsLoader: true,
      swcJsMinimizer: true,
      swcHtmlMinimizer: false,
      lightningCssMinimizer: true,
      mdxCrossCompilerCache: true,
      rspackBundler: true,
      rspackPersistentCache: true,
      ssgWorkerThreads: false,
      gitEagerVcs: true,
    },
  },

  customFields: { release },

  presets: [
    [
      "classic",
      {
        docs: {
          routeBasePath: "/",
          sidebarPath: "./sidebars.ts",
          editUrl: editUrl(process.env, () => gitOrigin(fileURLToPath(new URL(".", import.meta.url)))),
          showLastUpdateTime: true,
        },
        blog: false,
        theme: { customCss: "./src/css/custom.css" },
      } satisfies Preset.Options,
    ],
  ],

  themes: [
    [
      "@easyops-cn/docusaurus-search-local",
      {
        // The index is built with the site, so search works offline.
        hashed: true,
        indexDocs: true,
        indexBlog: false,
        indexPages: false,
        docsRouteBasePath: "/",
        highlightSearchTermsOnTargetPage: true,
        explicitSearchResultPath: true,
      },
    ],
  ],

  themeConfig: {
    colorMode: { respectPrefersColorScheme: true },
    navbar: {
      title: "NixOS + Home Manager starter",
      logo: { alt: "", src: "img/favicon.svg" },
      items: [
        { type: "docSidebar", sidebarId: "guide", position: "left", label: "Guide" },
        { to: "/generators", label: "Generators", position: "left" },
        { type: "docSidebar", sidebarId: "project", position: "left", label: "Project" },
        {
          type: "html",
          position: "right",
          value: `<span class="navbar-release" title="The releases this starter pins: nixos-${release} and release-${release}">NixOS &amp; Home Manager ${release}</span>`,
        },
      ],
    },
    footer: {
      style: "light",
      links: [
        {
          title: "Home Manager",
          items: [
            { label: "Manual", href: HM_MANUAL },
            { label: "Option search", href: `https://home-manager-options.extranix.com/?release=release-${release}` },
            { label: `Release notes ${release}`, href: `${HM_MANUAL}release-notes.xhtml#sec-release-${release}` },
          ],
        },
        {
          title: "NixOS",
          items: [
            { label: "NixOS manual", href: "https://nixos.org/manual/nixos/stable/" },
            { label: "NixOS option search", href: `https://search.nixos.org/options?channel=${release}` },
          ],
        },
        {
          title: "This guide",
          items: [
            { label: "Troubleshooting", to: "/troubleshooting" },
            { label: "FAQ", to: "/faq" },
            { label: "Forking and contributing", to: "/contributing" },
          ],
        },
      ],
      copyright: "MIT licensed. Every Nix example on this site is rendered from the generators' templates and the reference flake when the site is built.",
    },
    prism: {
      theme: withCommentColor(prismThemes.github, "#57606a"),
      darkTheme: withCommentColor(prismThemes.dracula, "#a9b4de"),
      additionalLanguages: ["nix", "bash", "diff"],
    },
  } satisfies Preset.ThemeConfig,
};

export default config;
