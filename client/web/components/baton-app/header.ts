// The app's header: the way home, who this device posts as (or that it can only read here),
// "How Baton works" and the language switcher.
import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { fillSlots, fillText, slot } from '../../l10n/slots.ts';
import { displayName } from '../../lib/display-name.ts';
import '../baton-language/baton-language.ts';

/** `name`: who posts from this device; null before the session starts. `tools`: more links (the lock's). */
export function appHeader(name: string | null, canPost: boolean, openGuide: () => void, tools: unknown = nothing) {
  const guide = msg('How Baton works', { id: 'guide.label' });
  return html`<header>
    <a class="home" href="#">Baton</a>
    ${name === null ? nothing : who(displayName(name), canPost)}
    <span class="tools">
      ${tools}
      <button type="button" class="help" aria-label=${guide} title=${guide} @click=${openGuide}>?</button>
      <baton-language></baton-language>
    </span>
  </header>`;
}

function who(poster: string, canPost: boolean) {
  if (!canPost) return html`<span class="small muted who">${msg('Read only: you cannot post here', { id: 'app.readOnly' })}</span>`;
  const name = slot(0);
  const text = msg(str`Posting as ${name}`, { id: 'app.postingAs' });
  return html`<span class="small muted who" title=${fillText(text, { [name]: poster })}>${fillSlots(text, { [name]: html`<strong><bdi>${poster}</bdi></strong>` })}</span>`;
}
