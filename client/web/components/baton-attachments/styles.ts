// Styles of <baton-attachments>.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    :host {
      display: block;
    }
    ul {
      list-style: none;
      margin: 0.5rem 0 0;
      padding: 0;
      display: grid;
      gap: 0.5rem;
    }
    .row {
      display: flex;
      gap: 0.6rem;
      align-items: flex-start;
    }
    button.thumb {
      padding: 0;
      border: 1px solid var(--line);
      border-radius: 0.3rem;
      background: var(--chip);
      flex: none;
      line-height: 0;
    }
    .thumb img,
    .icon {
      width: 5rem;
      height: 5rem;
      object-fit: cover;
      border-radius: 0.3rem;
    }
    /* A PDF's first page: whole, on paper white, with its border. */
    .thumb.page {
      flex: none;
      line-height: 0;
    }
    .thumb.page img {
      object-fit: contain;
      background: #fff;
      border: 1px solid var(--line);
      box-sizing: border-box;
    }
    .icon {
      display: grid;
      place-items: center;
      flex: none;
      background: var(--chip);
      font-weight: 600;
    }
    /* Type, size and pages in the page's direction, each kept whole ("PDF" would turn an Arabic line left to right). */
    .meta {
      unicode-bidi: isolate;
    }
    .about {
      display: flex;
      flex-direction: column;
      gap: 0.2rem;
      min-width: 0;
    }
    .name {
      overflow-wrap: anywhere;
      font-weight: 600;
    }
    .buttons {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
    }
    .bad {
      color: var(--bad);
    }
    figure {
      margin: 0.5rem 0 0;
    }
    img.full {
      display: block;
      max-width: 100%;
      height: auto;
      border-radius: 0.3rem;
    }
  `,
];
