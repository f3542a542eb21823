// Styles of <baton-search>.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    :host {
      display: block;
    }
    input {
      flex: 1 1 10rem;
      min-width: 0;
    }
    form p {
      margin: 0.35rem 0 0;
    }
    h3 {
      margin: 0.9rem 0 0.4rem;
      overflow-wrap: anywhere;
    }
    ol.hits {
      list-style: none;
      margin: 0 0 0.5rem;
      padding: 0;
    }
    ol.hits li {
      border-bottom: 1px solid var(--line);
    }
    ol.hits a {
      display: block;
      padding: 0.5rem 0.25rem;
      color: inherit;
      text-decoration: none;
    }
    ol.hits a:hover .snippet {
      text-decoration: underline;
    }
    .where {
      display: block;
      overflow-wrap: anywhere;
    }
    .snippet {
      display: block;
      overflow-wrap: anywhere;
      unicode-bidi: plaintext;
    }
    mark {
      background: var(--chip);
      color: var(--link);
      font-weight: 700;
      border-radius: 0.2rem;
    }
  `,
];
