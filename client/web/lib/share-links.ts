// What the share dialog hands out for one access level: the link on every relay of the space,
// the link without a relay (for any relay's start page or the single-file app), and the text
// that carries them all; and the mirror command in the form `baton relay --mirror` takes.
import { msg } from '@lit/localize';
import { formatCapability, formatWebLink, parseCapabilityOrLink, type AccessLevel, type Capability } from '#shared';

export interface ShareLinks {
  /** The link to show first: on the page's relay if the space uses it, else on its first relay. */
  main: string;
  /** The same link on each other relay of the space. */
  others: string[];
  /** Without a relay: `baton:board:…`, pasted into a start page or the single-file app. */
  bare: string;
}

/** Said wherever the links are given: why there are several and what to do with the last. */
export function onAnyRelay(kind: 'board' | 'thread'): string {
  return kind === 'board'
    ? msg('If a relay is blocked, the same link works on any other relay of this board, and the link without a relay opens it from the start page of any Baton relay or from the single-file app.', { id: 'share.onAnyRelayBoard' })
    : msg('If a relay is blocked, the same link works on any other relay of this thread, and the link without a relay opens it from the start page of any Baton relay or from the single-file app.', { id: 'share.onAnyRelayThread' });
}

/** A page address for a relay: a ws(s) relay URL serves its pages over http(s). */
const pageBase = (relay: string) => relay.replace(/^ws(s?):/, 'http$1:');

export function shareLinks(cap: Capability, level: AccessLevel, linkBase: string | null): ShareLinks {
  const bare = formatCapability(cap, level);
  const bases: string[] = [];
  for (const relay of [linkBase, ...cap.relays]) {
    if (relay && !bases.includes(pageBase(relay))) bases.push(pageBase(relay));
  }
  const links = bases.map((b) => formatWebLink(cap, b, level));
  return { main: links[0] ?? bare, others: links.slice(1), bare };
}

/** What Copy puts on the clipboard: every link, one a line, and the sentence that explains them. */
export function shareText(links: ShareLinks, kind: 'board' | 'thread'): string {
  if (links.main === links.bare) return links.bare;
  return [links.main, ...links.others, links.bare, '', onAnyRelay(kind)].join('\n');
}

/** A shell word: single quotes, so `?`, `&` and `%` in the relay hints stay as they are. */
const shellWord = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * The command that starts a relay mirroring the space. `--mirror` takes the mirror capability
 * with its relay hints as it is; without hints it needs `@<relay URL>`.
 */
export function mirrorCommand(cap: Capability, linkBase: string | null): string | null {
  const mirror = formatCapability(cap, 'mirror');
  if (cap.relays.length > 0) return `npx baton relay --mirror ${shellWord(mirror)}`;
  if (linkBase) return `npx baton relay --mirror ${shellWord(`${mirror}@${linkBase}`)}`;
  return null;
}

/**
 * A pasted link, a link broken over lines, or a whole share text (several links and a
 * sentence, its line breaks kept or dropped): the first link in it that opens. Throws the
 * whole text's error if none does.
 */
export function parsePasted(text: string): Capability {
  try {
    return parseCapabilityOrLink(text);
  } catch (err) {
    // Each link starts at "http(s)://" or a bare "baton:"; a capability never holds either raw.
    const starts = text.split(/\s+|(?=https?:\/\/)|(?<!#)(?=baton:)/);
    for (const piece of starts) {
      if (!piece.includes('baton:')) continue;
      try {
        return parseCapabilityOrLink(piece);
      } catch {
        // the next piece may be a whole link
      }
    }
    throw err;
  }
}
