// Styles of <baton-moderators>.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    :host {
      display: block;
    }
    .people {
      list-style: none;
      padding: 0;
      margin: 0 0 0.75rem;
      display: grid;
      gap: 0.4rem;
    }
    .people li {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
      align-items: center;
    }
    .badge.role {
      border: 1px solid var(--line-strong);
      border-radius: 0.3rem;
      padding: 0 0.3rem;
      font-size: 0.85rem;
    }
    .row {
      display: flex;
      gap: 0.5rem;
    }
    .row input {
      flex: 1;
      min-width: 0;
    }
    button {
      min-height: 2rem;
      padding: 0.15rem 0.7rem;
    }
    button.danger {
      border-color: var(--bad);
      color: var(--bad);
    }
    .confirm {
      display: inline-flex;
      gap: 0.4rem;
    }
  `,
];
