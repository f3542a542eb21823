// An author's name as this page shows it. A device whose person never chose a name signs its
// posts with the client's default (DEFAULT_NAME in client/core/identity.ts), an English word:
// it stands for "no name", so every reader sees that in their own language.
import { msg } from '@lit/localize';
import { withoutOverrides } from './text.ts';

/** Kept equal to DEFAULT_NAME (test/unit checks it); not imported, so the first screen's script stays small. */
export const UNCHOSEN_NAME = 'anonymous';

export function displayName(name: string): string {
  const clean = withoutOverrides(name);
  return clean === '' || clean === UNCHOSEN_NAME ? msg('anonymous', { id: 'post.anonymous' }) : clean;
}
