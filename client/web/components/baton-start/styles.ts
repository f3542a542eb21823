// Styles of <baton-start>.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    :host {
      display: block;
    }
    .grid {
      display: grid;
      gap: 1rem;
      grid-template-columns: minmax(0, 1fr);
    }
    @media (min-width: 900px) {
      .grid {
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
        align-items: start;
      }
    }
    form > * + * {
      margin-top: 0.6rem;
    }
    li {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      justify-content: space-between;
      padding: 0.5rem 0;
      border-bottom: 1px solid var(--line);
    }
    li:last-child {
      border-bottom: none;
    }
    li a {
      min-width: 0;
      overflow-wrap: anywhere;
      font-weight: 600;
    }
    #link {
      min-height: 2.5rem;
      word-break: break-all;
    }
    .intro {
      max-width: 46rem;
    }
  `,
];
