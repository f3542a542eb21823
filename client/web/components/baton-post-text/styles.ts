// Styles of <baton-post-text>.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    :host {
      display: block;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    div {
      /* Each paragraph takes its own direction (an Arabic line after an English one). */
      unicode-bidi: plaintext;
    }
    button.tag {
      display: inline;
      min-height: 0;
      padding: 0 0.2rem;
      border: none;
      border-radius: 0.25rem;
      background: var(--chip);
      color: var(--link);
      font: inherit;
    }
  `,
];
