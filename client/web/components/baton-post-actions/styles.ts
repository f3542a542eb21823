// Styles of <baton-post-actions>.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    :host {
      display: contents;
    }
    .buttons {
      display: flex;
      gap: 0.5rem;
      flex-wrap: wrap;
    }
    .buttons button,
    .panel button {
      min-height: 2rem;
      padding: 0.15rem 0.7rem;
    }
    .panel {
      flex-basis: 100%;
      border-top: 1px solid var(--line);
      padding-top: 0.5rem;
    }
    .panel textarea,
    .panel input:not([type='checkbox']) {
      width: 100%;
    }
    .check {
      display: flex;
      gap: 0.4rem;
      align-items: center;
      font-weight: normal;
      margin: 0.4rem 0;
    }
    .row {
      display: flex;
      gap: 0.5rem;
      flex-wrap: wrap;
    }
    .code {
      font-size: 1.25rem;
      letter-spacing: 0.05em;
      overflow-wrap: anywhere;
    }
    button.danger {
      border-color: var(--bad);
      color: var(--bad);
    }
  `,
];
