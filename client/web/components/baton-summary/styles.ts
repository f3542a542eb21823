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
  `,
];
