// Cards the app shell shows in place of a screen.
import { html } from 'lit';
import { msg } from '@lit/localize';
import type { SpaceKind } from '#shared';
import { wrongKeyWords } from '../../lib/wrong-key.ts';

/** The link's key does not open the space: said plainly, with the way back. */
export function wrongKeyCard(kind: SpaceKind) {
  const { title, body } = wrongKeyWords(kind === 'board' ? 'board' : 'thread');
  return html`<div class="card" role="alert"><h1>${title}</h1><p>${body}</p><p><a href="#">${msg('Back to the start', { id: 'app.backToStart' })}</a></p></div>`;
}
