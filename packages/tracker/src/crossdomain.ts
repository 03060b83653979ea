// Cross-domain identity: links to the brand's other domains carry the anonymous id in `_vid`; the
// script there adopts it and removes it from the address bar (not shared, bookmarked or re-sent).
import { o } from './config';
import { anonymousId } from './identity';

/** The id carried to this page, if well-formed; the address bar is cleaned either way. */
export function adopt(): string | undefined {
  const u = new URL(location as unknown as URL);
  const id = u.searchParams.get('_vid');
  if (id) {
    u.searchParams.delete('_vid');
    history.replaceState(history.state, '', u);
    if (/^[\w-]{8,64}$/.test(id)) return id;
  }
}

/**
 * On a link about to be followed: adds the anonymous id when the link leads to one of the
 * brand's domains (this one included, harmlessly: the id is adopted and removed on arrival).
 */
export function decorate(a: HTMLAnchorElement): void {
  if ((o.domains + '').split(',').includes(a.hostname)) a.search += '&_vid=' + anonymousId();
}
