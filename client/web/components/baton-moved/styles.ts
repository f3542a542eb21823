// Styles of <baton-moved>.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    .moved {
      border-inline-start: 4px solid var(--warn);
      max-width: 40rem;
    }
    .actions {
      display: flex;
      gap: 0.75rem;
      align-items: center;
      flex-wrap: wrap;
    }
  `,
];
