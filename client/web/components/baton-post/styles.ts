// Styles of <baton-post>.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    :host {
      display: block;
      min-width: 0;
    }
    article {
      min-width: 0;
      background: var(--card);
      border: 1px solid var(--line);
      border-radius: 0.6rem;
      padding: 0.75rem 0.9rem;
    }
    article.unverified {
      border-color: var(--bad);
      background: var(--bad-bg);
    }
    article.clash {
      border-color: var(--warn);
      border-inline-start-width: 4px;
    }
    .badge.warn {
      color: var(--warn);
    }
    .clash-note {
      flex-basis: 100%;
      order: 3;
      margin: 0.15rem 0 0;
      color: var(--warn);
      overflow-wrap: anywhere; /* a name of any length stays inside the post */
    }
    header {
      display: flex;
      flex-wrap: wrap;
      gap: 0.2rem 0.5rem;
      align-items: baseline;
      margin-bottom: 0.35rem;
    }
    .name {
      font-weight: 700;
      overflow-wrap: anywhere;
    }
    time {
      margin-inline-start: auto;
    }
    .quote {
      display: block;
      width: 100%;
      max-width: 100%;
      text-align: start;
      border: none;
      border-inline-start: 3px solid var(--line-strong);
      border-radius: 0;
      background: var(--hover);
      padding: 0.25rem 0.6rem;
      margin-bottom: 0.5rem;
      min-height: 0;
      color: var(--muted);
      font-size: 0.9rem;
      /* The excerpt is cut at its logical end already (lib/text.ts): wrapping shows it whole, in either direction. */
      overflow-wrap: anywhere;
    }
    footer {
      display: flex;
      gap: 0.75rem;
      align-items: center;
      margin-top: 0.5rem;
      flex-wrap: wrap;
    }
    footer button {
      min-height: 2rem;
      padding: 0.15rem 0.7rem;
    }
    .delivery {
      margin-inline-start: auto;
    }
    article.collapsed {
      padding: 0.4rem 0.9rem;
      background: var(--hover);
    }
    .hidden-line {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: center;
      margin: 0.4rem 0 0;
      color: var(--muted);
      overflow-wrap: anywhere;
    }
    article.collapsed .hidden-line {
      margin: 0;
    }
    .hidden-line button {
      min-height: 2rem;
      padding: 0.15rem 0.7rem;
    }
    .badge.role {
      border: 1px solid var(--line-strong);
      border-radius: 0.3rem;
      padding: 0 0.3rem;
    }
    .deleted {
      font-style: italic;
      margin: 0;
    }
    .history {
      margin-top: 0.4rem;
      color: var(--muted);
    }
    .history ol {
      margin: 0.3rem 0 0;
      padding-inline-start: 1.2rem;
    }
  `,
];
