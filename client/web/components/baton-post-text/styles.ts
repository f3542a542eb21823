// Styles of <baton-post-text>.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    :host {
      display: block;
      overflow-wrap: anywhere;
    }
    p,
    li,
    pre {
      /* Single line breaks stay; each paragraph takes its own direction (an Arabic line after an English one). */
      white-space: pre-wrap;
      unicode-bidi: plaintext;
      margin: 0 0 0.5rem;
    }
    div > :last-child {
      margin-bottom: 0;
    }
    blockquote {
      margin: 0 0 0.5rem;
      padding: 0.1rem 0.75rem;
      border-inline-start: 3px solid var(--line-strong);
      color: var(--muted);
    }
    ul,
    ol {
      margin: 0 0 0.5rem;
      padding-inline-start: 1.5rem;
    }
    li {
      margin: 0 0 0.2rem;
    }
    code {
      font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
      font-size: 0.92em;
      background: var(--chip);
      border-radius: 0.25rem;
      padding: 0 0.2rem;
      unicode-bidi: isolate;
    }
    pre {
      background: var(--chip);
      border-radius: 0.4rem;
      padding: 0.5rem 0.7rem;
      overflow-x: auto;
      overflow-wrap: normal;
      white-space: pre;
      unicode-bidi: isolate;
    }
    pre code {
      background: none;
      padding: 0;
    }
    .host {
      color: var(--muted);
      font-size: 0.9em;
    }
    button.tag {
      display: inline;
      min-height: 0;
      padding: 0 0.2rem;
      border: none;
      border-radius: 0.25rem;
      background: var(--chip);
      color: var(--link);
      font: inherit;
    }
  `,
];
