// Styles of <baton-compose>.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    :host {
      display: block;
    }
    textarea {
      min-height: 5.5rem;
    }
    .reply {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      justify-content: space-between;
      background: var(--chip);
      border-radius: 0.4rem;
      padding: 0.3rem 0.6rem;
      margin-bottom: 0.4rem;
    }
    .reply span {
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    /* A keyboard shortcut means nothing on a touch screen, and takes room on a narrow one. */
    @media (pointer: coarse), (max-width: 40rem) {
      .keys {
        visibility: hidden;
      }
    }
    .actions {
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: 0.5rem;
      margin-top: 0.4rem;
    }
  `,
];
