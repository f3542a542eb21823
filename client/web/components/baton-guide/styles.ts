// Styles of <baton-guide>: a card of three short points, its buttons at the end.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    :host {
      display: block;
    }
    section {
      background: var(--card);
      border: 1px solid var(--line);
      border-inline-start: 4px solid var(--accent);
      border-radius: 0.6rem;
      padding: 1rem;
      margin-bottom: 1rem;
    }
    .head {
      display: flex;
      justify-content: space-between;
      align-items: baseline;
      gap: 0.5rem;
    }
    .head p {
      margin: 0;
    }
    h2 {
      outline: none;
      margin-top: 0.25rem;
    }
    ul {
      margin: 0 0 1rem;
      padding-inline-start: 1.2rem;
      display: grid;
      gap: 0.45rem;
      max-width: 44rem;
    }
    .actions {
      display: flex;
      justify-content: space-between;
      gap: 0.5rem;
    }
  `,
];
