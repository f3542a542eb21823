// Styles of <baton-remove>.
import { css } from 'lit';
import { base, dialogFrame } from '../shared-styles.ts';

export const styles = [
  base,
  dialogFrame,
  css`
    dialog {
      width: min(36rem, calc(100vw - 1rem));
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
