// Cross-domain identity: links to the brand's other domains carry the anonymous id in `_vid`; the
// script there adopts it and removes it from the address bar (not shared, bookmarked or re-sent).

export const PARAM = '_vid';
const VALID = /^[\w-]{8,64}$/;

/** Whether `host` is one of `domains` or a subdomain of one. */
export const isOwnDomain = (host: string, domains: string[]): boolean =>
  domains.some((d) => host == d || host.endsWith('.' + d));

/** `href` with the anonymous id added. */
export function withId(href: string, id: string): string {
  const u = new URL(href);
  u.searchParams.set(PARAM, id);
  return u.href;
}

/** The id carried by `href`, if well-formed, and `href` without it. */
export function carried(href: string): [string | undefined, string] {
  const u = new URL(href);
  const id = u.searchParams.get(PARAM);
  u.searchParams.delete(PARAM);
  return [id && VALID.test(id) ? id : undefined, u.href];
}

/** Adopts an id carried to this page and cleans the address bar. */
export function adopt(): string | undefined {
  if (!location.search.includes(PARAM)) return;
  const [id, href] = carried(location.href);
  history.replaceState(history.state, '', href);
  return id;
}

/** Called on a link about to be followed: adds the id when it leads to one of `domains`. */
export function decorate(a: HTMLAnchorElement, domains: string[], id: string): void {
  if (a.hostname != location.hostname && isOwnDomain(a.hostname, domains)) a.href = withId(a.href, id);
}
