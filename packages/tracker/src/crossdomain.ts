// Cross-domain identity: links to the brand's other domains carry the anonymous id in `_vid`; the
// script there adopts it and removes it from the address bar (not shared, bookmarked or re-sent).

export const PARAM = '_vid';

/** Whether `host` is one of `domains` or a subdomain of one. */
export const isOwnDomain = (host: string, domains: string[]): boolean =>
  domains.some((d) => host == d || host.endsWith('.' + d));

/** `href` with the anonymous id added. */
export function withId(href: string, id: string): string {
  const u = new URL(href);
  u.searchParams.set(PARAM, id);
  return u.href;
}

/** The id carried to this page, if well-formed; the address bar is cleaned either way. */
export function adopt(): string | undefined {
  const u = new URL(location.href);
  const id = u.searchParams.get(PARAM);
  if (id != null) {
    u.searchParams.delete(PARAM);
    history.replaceState(history.state, '', u.href);
    if (/^[\w-]{8,64}$/.test(id)) return id;
  }
}

/** On a link about to be followed: adds the id when the link leads to one of `domains`. */
export function decorate(a: HTMLAnchorElement, domains: string[], id: string): void {
  if (a.hostname != location.hostname && isOwnDomain(a.hostname, domains)) a.href = withId(a.href, id);
}
