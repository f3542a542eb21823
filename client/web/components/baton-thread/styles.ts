// Styles of <baton-thread>.
import { css } from 'lit';
import { base, titleRow } from '../shared-styles.ts';

export const styles = [
  base,
  titleRow,
  css`
    :host {
      display: block;
      max-width: 52rem;
      margin: 0 auto;
    }
    nav {
      margin-bottom: 0.5rem;
    }
    .chips {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
      margin: 0.5rem 0 0.75rem;
    }
    .chips button {
      min-height: 2rem;
      padding: 0.1rem 0.7rem;
      border-radius: 999px;
      background: var(--chip);
    }
    .chips button[aria-pressed='true'] {
      background: var(--accent);
      color: var(--accent-fg);
      border-color: var(--accent);
    }
    ol.posts {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 0.6rem;
    }
    ol.posts li {
      min-width: 0;
    }
    ol.posts li.reply {
      margin-inline-start: 1.25rem;
    }
    baton-post:focus {
      outline: 3px solid var(--focus);
      outline-offset: 2px;
      border-radius: 0.6rem;
    }
    .compose {
      margin-top: 1rem;
    }
    button.older {
      display: block;
      margin: 0 auto 0.75rem;
    }
    /* The separator sits inside its list item: a list holds only list items. */
    li.new-since > div {
      display: flex;
      align-items: center;
      gap: 0.6rem;
      color: var(--accent);
      font-weight: 700;
      font-size: 0.875rem;
    }
    li.new-since > div::before,
    li.new-since > div::after {
      content: '';
      flex: 1;
      border-top: 2px solid var(--accent);
    }
    /* Stays at the bottom of the screen while the end of the thread is out of sight. */
    .jump {
      position: sticky;
      bottom: 0.75rem;
      display: flex;
      justify-content: center;
      margin-top: 0.75rem;
      pointer-events: none;
    }
    .jump button {
      pointer-events: auto;
      background: var(--accent);
      color: var(--accent-fg);
      border-color: var(--accent);
      box-shadow: 0 2px 8px rgb(0 0 0 / 0.25);
    }
    details.relays summary {
      cursor: pointer;
      font-weight: 600;
    }
  `,
];
