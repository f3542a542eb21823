// Styles of <baton-identity>.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    :host {
      display: block;
    }
    form + form,
    details {
      margin-top: 0.9rem;
    }
    summary {
      cursor: pointer;
      font-weight: 600;
    }
    textarea {
      font-family: ui-monospace, Menlo, Consolas, monospace;
      font-size: 0.8rem;
      word-break: break-all;
    }
    .actions {
      display: flex;
      gap: 0.5rem;
      flex-wrap: wrap;
      margin-top: 0.4rem;
    }
      .safety .code {
      font-size: 1.25rem;
      letter-spacing: 0.05em;
      margin: 0 0 0.25rem;
    }
    .safety .mono {
      overflow-wrap: anywhere;
    }
  `,
];
