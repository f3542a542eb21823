// Styles of <baton-share>.
import { css } from 'lit';
import { base, dialogFrame } from '../shared-styles.ts';

export const styles = [
  base,
  dialogFrame,
  css`
    dialog {
      width: min(40rem, calc(100vw - 1rem));
    }
    section {
      border-top: 1px solid var(--line);
      padding-top: 0.75rem;
      margin-top: 0.75rem;
    }
    textarea {
      min-height: 4.5rem;
      /* As tall as its links, up to a point: the share text is read before it is copied. */
      field-sizing: content;
      max-height: 16rem;
      font-family: ui-monospace, Menlo, Consolas, monospace;
      font-size: 0.8rem;
      /* Links break anywhere; the sentence after them keeps its words whole, and each line
         takes its own direction (an Arabic sentence under left-to-right links). */
      overflow-wrap: anywhere;
      unicode-bidi: plaintext;
    }
    .actions {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      flex-wrap: wrap;
      margin-top: 0.4rem;
    }
    details {
      margin-top: 0.5rem;
    }
    summary {
      cursor: pointer;
    }
    baton-qr {
      margin-top: 0.5rem;
    }
  `,
];
