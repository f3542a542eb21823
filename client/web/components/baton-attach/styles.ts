// Styles of <baton-attach>.
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
      margin: 0 0 0.5rem;
      padding: 0;
      display: grid;
      gap: 0.5rem;
    }
    li {
      display: flex;
      gap: 0.6rem;
      align-items: flex-start;
      border: 1px solid var(--line);
      border-radius: 0.4rem;
      padding: 0.4rem;
    }
    li.failed {
      border-color: var(--bad);
      background: var(--bad-bg);
    }
    img,
    .icon {
      width: 4rem;
      height: 4rem;
      flex: none;
      object-fit: cover;
      border-radius: 0.3rem;
      background: var(--chip);
    }
    /* A PDF's first page: whole, on paper white. */
    img.page {
      object-fit: contain;
      background: #fff;
      border: 1px solid var(--line);
      box-sizing: border-box;
    }
    .icon {
      display: grid;
      place-items: center;
      font-weight: 600;
    }
    .about {
      flex: 1;
      min-width: 0;
    }
    .about p {
      margin: 0.15rem 0;
    }
    .name {
      display: block;
      overflow-wrap: anywhere;
      font-weight: 600;
    }
    .removed {
      color: var(--ok);
    }
    .warning {
      color: var(--warn);
      background: var(--warn-bg);
      padding: 0.3rem;
      border-radius: 0.3rem;
    }
    .bad {
      color: var(--bad);
    }
    .pick {
      display: inline-flex;
      align-items: center;
      cursor: pointer;
    }
    .pick.disabled {
      opacity: 0.6;
      cursor: not-allowed;
    }
    /* The PDF warning's box, ticked beside its words (not a field's full width). */
    .check {
      display: flex;
      gap: 0.5rem;
      align-items: center;
    }
    .check input {
      width: 1.25rem;
      height: 1.25rem;
      min-height: 0;
      margin: 0;
      flex: none;
    }
    /* The input stays in the page for keyboards and screen readers, drawn as the label's button. */
    .pick input {
      position: absolute;
      width: 1px;
      height: 1px;
      opacity: 0;
    }
    .pick:focus-within {
      outline: 3px solid var(--focus);
      outline-offset: 2px;
    }
    .limits {
      display: block;
      margin-top: 0.3rem;
    }
  `,
];
