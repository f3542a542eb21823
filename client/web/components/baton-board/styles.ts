// Styles of <baton-board>.
import { css } from 'lit';
import { base, titleRow } from '../shared-styles.ts';

export const styles = [
  base,
  titleRow,
  css`
    :host {
      display: block;
    }
    .tools {
      display: flex;
      gap: 0.5rem;
      flex-wrap: wrap;
    }
    .layout {
      display: grid;
      gap: 1rem;
      grid-template-columns: minmax(0, 1fr);
    }
    .layout .card {
      margin-bottom: 0;
    }
    .layout > div {
      display: grid;
      gap: 1rem;
      align-content: start;
    }
    @media (min-width: 900px) {
      .layout {
        grid-template-columns: minmax(0, 1fr) 20rem;
        align-items: start;
      }
    }
    ol.threads {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    ol.threads li {
      border-bottom: 1px solid var(--line);
    }
    ol.threads li:last-child {
      border-bottom: none;
    }
    ol.threads a {
      display: block;
      padding: 0.65rem 0.25rem;
      color: inherit;
      text-decoration: none;
    }
    ol.threads a:hover .t {
      text-decoration: underline;
    }
    .t {
      font-weight: 650;
      color: var(--link);
      overflow-wrap: anywhere;
    }
    .unread {
      color: var(--accent);
    }
    .meta {
      display: block;
    }
  `,
];
