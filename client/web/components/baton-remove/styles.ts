// Styles of <baton-remove>.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    dialog {
      width: min(36rem, calc(100vw - 1rem));
      max-height: calc(100vh - 2rem);
      border: 1px solid var(--line-strong);
      border-radius: 0.6rem;
      background: var(--bg);
      color: var(--fg);
      padding: 1rem;
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.45);
    }
    .head {
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: 1rem;
    }
    fieldset {
      border: 1px solid var(--line);
      border-radius: 0.4rem;
      margin: 0 0 0.75rem;
      padding: 0.5rem 0.75rem;
    }
    legend {
      font-weight: 600;
      padding: 0 0.25rem;
    }
    label.choice {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      flex-wrap: wrap;
      font-weight: normal;
      min-height: 2.5rem;
    }
    label.choice input {
      width: auto;
      min-height: 0;
    }
    textarea {
      font-family: ui-monospace, Menlo, Consolas, monospace;
      font-size: 0.8rem;
      word-break: break-all;
      margin-bottom: 0.5rem;
    }
    details {
      margin: 0.5rem 0;
    }
    .actions {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      flex-wrap: wrap;
      margin-top: 0.75rem;
    }
    button.danger {
      background: var(--bad);
      border-color: var(--bad);
      color: var(--accent-fg);
      font-weight: 600;
    }
  `,
];
