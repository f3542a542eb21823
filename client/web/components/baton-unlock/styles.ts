// Styles of <baton-unlock> and <baton-lock-settings>.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    :host {
      display: block;
      max-width: 34rem;
      margin: 0 auto;
    }
    form > * + *,
    .stack > * + * {
      margin-top: 0.6rem;
    }
    .actions {
      display: flex;
      gap: 0.5rem;
      flex-wrap: wrap;
      align-items: center;
    }
    button.danger {
      background: var(--bad);
      border-color: var(--bad);
      color: var(--accent-fg);
      font-weight: 600;
    }
    button.danger:hover {
      filter: brightness(1.1);
      background: var(--bad);
    }
    kbd {
      font-family: ui-monospace, Menlo, Consolas, monospace;
      font-size: 0.85em;
      border: 1px solid var(--line-strong);
      border-radius: 0.25rem;
      padding: 0 0.25rem;
    }
  `,
];
