// Styles of <baton-summary>.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    :host {
      display: block;
    }
    textarea {
      min-height: 6rem;
      background: var(--card);
    }
    h2.label {
      font-size: 1rem;
      font-weight: 600;
      margin-bottom: 0.25rem;
    }
    .story {
      margin: 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
  `,
];
