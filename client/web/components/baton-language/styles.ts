// Styles of <baton-language>: a small select with a globe, at the end of the header.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    :host {
      display: inline-block;
    }
    label {
      display: inline-flex;
      align-items: center;
      gap: 0.3rem;
      margin: 0;
      font-weight: 400;
    }
    .globe {
      width: 1.2rem;
      height: 1.2rem;
      flex: none;
      fill: none;
      stroke: currentColor;
      stroke-width: 1.1;
    }
    select {
      width: auto;
      max-width: 8.5rem;
      min-height: 2.25rem;
      padding-block: 0.25rem;
      padding-inline: 0.4rem;
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
  `,
];
