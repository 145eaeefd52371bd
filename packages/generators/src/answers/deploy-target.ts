// Where Colmena reaches a host (`[user@]address[:port]`) and its tags: the
// rules they must meet, and the hosts/<host>/deployment.nix that holds them.
// The generators only write these values; nothing here connects anywhere.
import { isIPv4, isIPv6 } from "node:net";
import type { Reason } from "./rules.js";

export interface Target {
  /** A host name, an IPv4 address or an IPv6 address (without brackets). */
  host: string;
  user?: string;
  port?: number;
}

const show = (value: string) => JSON.stringify(value);
const FORM = "use [user@]address[:port], such as deploy@198.51.100.2 or root@[2001:db8::1]:2222";
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const USER = /^[A-Za-z_][A-Za-z0-9._-]{0,31}$/;

/** The target `value` names, or the reason it is refused. */
export function parseTarget(value: string): Target | { reason: string } {
  const refuse = (why: string) => ({ reason: `The target ${show(value)} ${why}: ${FORM}.` });
  if (value === "") return refuse("is empty");
  // ssh reads a word that starts with "-" as an option (-oProxyCommand=… runs a command).
  if (value.startsWith("-")) return refuse('starts with "-", which ssh would read as an option');
  if (/[\s\u0000-\u001f\u007f]/.test(value)) return refuse("has a space or a control character");
  const at = value.lastIndexOf("@");
  const user = at >= 0 ? value.slice(0, at) : undefined;
  const rest = at >= 0 ? value.slice(at + 1) : value;
  if (user !== undefined) {
    if (user === "") return refuse('has an empty user before "@"');
    if (!USER.test(user)) return refuse(`has a user, ${show(user)}, that is not a login name (letters, digits, ".", "_", "-")`);
  }
  if (rest === "") return refuse('has no address after "@"');
  if (rest.startsWith("-")) return refuse('has an address that starts with "-", which ssh would read as an option');

  let host: string;
  let portText: string | undefined;
  if (rest.startsWith("[")) {
    const m = /^\[([^\]]*)\](?::(.*))?$/.exec(rest);
    if (!m || !isIPv6(m[1]!)) return refuse("has brackets that do not hold an IPv6 address");
    host = m[1]!;
    portText = m[2];
  } else if (rest.split(":").length > 2) {
    if (!isIPv6(rest)) return refuse("is not a host name or an IP address");
    host = rest; // a bare IPv6 address; with a port it needs brackets
  } else {
    [host, portText] = rest.split(":") as [string, string | undefined];
    if (host === "") return refuse("has no address before the port");
    const name = host.endsWith(".") ? host.slice(0, -1) : host;
    if (!isIPv4(host) && (name.length > 253 || !name.split(".").every((l) => LABEL.test(l)) || /^[0-9.]+$/.test(name))) {
      return refuse(`has an address, ${show(host)}, that is neither a host name nor an IP address`);
    }
  }
  if (portText === undefined) return { host, ...(user !== undefined ? { user } : {}) };
  const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) return refuse(`has a port, ${show(portText)}, that is not a number from 1 to 65535`);
  return { host, ...(user !== undefined ? { user } : {}), port };
}

export function checkTarget(value: string): Reason {
  const target = parseTarget(value);
  return "reason" in target ? target.reason : undefined;
}

/** How a target is written on the command line: brackets around an IPv6 address with a port. */
export function targetText(t: Target): string {
  const host = t.port !== undefined && t.host.includes(":") ? `[${t.host}]` : t.host;
  return `${t.user !== undefined ? `${t.user}@` : ""}${host}${t.port !== undefined ? `:${t.port}` : ""}`;
}

/** A tag: what `colmena apply --on @<tag>` selects by, so no comma (the list separator), "@" or "*". */
export function checkTag(tag: string): Reason {
  if (tag === "") return "A tag is empty: give a word such as web.";
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(tag)) {
    const comma = tag.includes(",") ? " (give each tag its own --tag)" : "";
    return `The tag ${show(tag)} is not a simple name: use letters, digits, "-" and "_", starting with a letter or digit, such as web or eu-west${comma}.`;
  }
  return undefined;
}

/** What hosts/<host>/deployment.nix says, as the generator writes it. */
export interface Deployment {
  target?: Target;
  tags: string[];
}

export const deploymentPath = (host: string) => `hosts/${host}/deployment.nix`;

/**
 * The settings of a deployment.nix the generator wrote, or undefined when
 * the file says something else (edited by hand), which is then left alone.
 */
export function readDeployment(text: string, render: (d: Deployment) => string): Deployment | undefined {
  const str = (name: string) => new RegExp(`\\b${name} = "([^"\\\\$]*)";`).exec(text)?.[1];
  const host = str("targetHost");
  const user = str("targetUser");
  const port = /\btargetPort = ([0-9]+);/.exec(text)?.[1];
  const tagList = /\btags = \[([^\]]*)\];/.exec(text)?.[1] ?? "";
  const tags = [...tagList.matchAll(/"([^"\\$]*)"/g)].map((m) => m[1]!);
  const read: Deployment = {
    ...(host !== undefined ? { target: { host, ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port: Number(port) } : {}) } } : {}),
    tags,
  };
  return render(read) === text ? read : undefined;
}
