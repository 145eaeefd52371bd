import useDocusaurusContext from "@docusaurus/useDocusaurusContext";

/** The NixOS and Home Manager release the starter pins, as the site was built with it. */
export default function Release(): string {
  const { siteConfig } = useDocusaurusContext();
  return String(siteConfig.customFields?.release ?? "");
}
