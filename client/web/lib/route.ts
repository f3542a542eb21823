// Where the app is, from the page's address: the start screen, a board, a board's thread,
// or a thread opened by its own capability. Capabilities live in the #fragment only.
import { cleanLinkText, parseCapabilityOrLink, type Capability, type SpaceId } from '#shared';
import { linkProblem } from './link-words.ts';

export { servingRelay } from './serving-relay.ts';

export type Route =
  | { view: 'start' }
  /** post: a post of the thread to show (a search result's). */
  | { view: 'space'; text: string; cap: Capability; thread: SpaceId | null; post: string | null }
  /** message: plain words for a person (see link-words.ts). */
  | { view: 'error'; text: string; message: string };

const THREAD_PARAM = /[?&]thread=([A-Za-z0-9_-]{43})(?=&|$)/;
const POST_PARAM = /[?&]post=([A-Za-z0-9_-]{22})(?=&|$)/;

/** The text without one of the app's own parameters. */
function without(text: string, m: RegExpExecArray | null): string {
  return m ? text.replace(m[0], m[0].startsWith('?') ? '?' : '').replace(/\?&/, '?').replace(/\?$/, '') : text;
}

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
  const p = POST_PARAM.exec(text);
  const withoutPost = without(text, p);
  const m = THREAD_PARAM.exec(withoutPost);
  const thread = m ? (m[1] as SpaceId) : null;
  const capText = without(withoutPost, m);
  try {
    const cap = parseCapabilityOrLink(relay ? `${relay}/#${capText}` : capText);
    const inThread = cap.kind === 'thread' || thread !== null;
    return { view: 'space', text: capText, cap, thread: cap.kind === 'board' ? thread : null, post: inThread && p ? p[1]! : null };
  } catch (err) {
    return { view: 'error', text, message: linkProblem(err) };
  }
}

/** The fragment for a capability, and optionally one of its board's threads, and a post there. */
export function routeHash(capText: string, thread?: string | null, post?: string | null): string {
  const params = [...(thread ? [`thread=${thread}`] : []), ...(post ? [`post=${post}`] : [])];
  if (params.length === 0) return `#${capText}`;
  return `#${capText}${capText.includes('?') ? '&' : '?'}${params.join('&')}`;
}
