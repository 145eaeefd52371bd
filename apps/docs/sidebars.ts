import type { SidebarsConfig } from "@docusaurus/plugin-content-docs";

// In reading order: the guide first, then this repository and its tools.
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
      ],
    },
    {
      type: "category",
      label: "This repository",
      collapsible: false,
      items: ["repository-layout", "generators", "performance", "contributing"],
    },
  ],
};

export default sidebars;
