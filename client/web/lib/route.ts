// Where the app is, from the page's address: the start screen, a board, a board's thread,
// or a thread opened by its own capability. Capabilities live in the #fragment only.
import { cleanLinkText, parseCapabilityOrLink, type Capability, type SpaceId } from '#shared';
import { linkProblem } from './link-words.ts';

export { servingRelay } from './serving-relay.ts';

export type Route =
  | { view: 'start' }
  | { view: 'space'; text: string; cap: Capability; thread: SpaceId | null }
  /** message: plain words for a person (see link-words.ts). */
  | { view: 'error'; text: string; message: string };

const THREAD_PARAM = /[?&]thread=([A-Za-z0-9_-]{43})(?=&|$)/;

/** Parses a fragment (with or without '#'); the serving relay joins the capability's relay hints. */
export function parseRoute(hash: string, relay: string | null): Route {
  let text = cleanLinkText(hash.startsWith('#') ? hash.slice(1) : hash);
  if (!text.startsWith('baton:')) {
    try {
      text = cleanLinkText(decodeURIComponent(text)); // a fragment a browser or mail client escaped whole
    } catch {
      // left as it is, and reported as not a link below
    }
  }
  if (text === '') return { view: 'start' };
  const m = THREAD_PARAM.exec(text);
  const thread = m ? (m[1] as SpaceId) : null;
  const capText = m ? text.replace(m[0], m[0].startsWith('?') ? '?' : '').replace(/\?&/, '?').replace(/\?$/, '') : text;
  try {
    const cap = parseCapabilityOrLink(relay ? `${relay}/#${capText}` : capText);
    return { view: 'space', text: capText, cap, thread: cap.kind === 'board' ? thread : null };
  } catch (err) {
    return { view: 'error', text, message: linkProblem(err) };
  }
}

/** The fragment for a capability, and optionally one of its board's threads. */
export function routeHash(capText: string, thread?: string | null): string {
  if (!thread) return `#${capText}`;
  return `#${capText}${capText.includes('?') ? '&' : '?'}thread=${thread}`;
}
