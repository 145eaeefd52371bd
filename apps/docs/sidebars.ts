import type { SidebarsConfig } from "@docusaurus/plugin-content-docs";

// In reading order: the guide first, then this repository and its tools.
// How the project itself is measured and changed has its own sidebar.
const sidebars: SidebarsConfig = {
  guide: [
    "index",
    {
      type: "category",
      label: "Home Manager on NixOS",
      collapsible: false,
      items: [
        "why-integrate",
        "setup",
        "patterns",
        "full-example",
        "trade-offs",
        "best-practices",
        "both-approaches",
        "migration",
        "macs",
        "upgrading",
        "troubleshooting",
        "faq",
      ],
    },
    {
      type: "category",
      label: "This repository",
      collapsible: false,
      items: ["repository-layout", "generators", "updating", "bringing-in", "deploying", "secrets", "state-versions"],
    },
  ],
  project: [
    {
      type: "category",
      label: "Project",
      collapsible: false,
      items: ["contributing", "performance"],
    },
  ],
};

export default sidebars;
