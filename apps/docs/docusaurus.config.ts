import type { Config } from "@docusaurus/types";
import type * as Preset from "@docusaurus/preset-classic";
import { themes as prismThemes } from "prism-react-renderer";
import { baseUrl, siteUrl } from "./site-config.mjs";

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

  presets: [
    [
      "classic",
      {
        docs: {
          routeBasePath: "/",
          sidebarPath: "./sidebars.ts",
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
      ],
    },
    footer: {
      style: "light",
      copyright: "MIT licensed. Every Nix example on this site is rendered from the generators' templates and the reference flake when the site is built.",
    },
    prism: {
      theme: prismThemes.github,
      darkTheme: prismThemes.dracula,
      additionalLanguages: ["nix", "bash", "diff"],
    },
  } satisfies Preset.ThemeConfig,
};

export default config;
