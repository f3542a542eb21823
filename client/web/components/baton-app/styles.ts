// Styles of <baton-app>.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    :host {
      display: block;
      min-height: 100vh;
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 0.75rem;
      padding: 0.6rem 1rem;
      border-bottom: 1px solid var(--line);
      background: var(--card);
    }
    /* One line: a long name is cut short with an ellipsis (the whole of it is in the title). */
    .who {
      flex: 1 1 9rem;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .tools {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      margin-inline-start: auto;
    }
    .safety {
      display: flex;
      gap: 0.6rem;
      align-items: center;
      white-space: nowrap;
    }
    .help {
      min-height: 2.25rem;
      min-width: 2.25rem;
      padding: 0;
      border-radius: 50%;
      font-weight: 700;
    }
    header a.home {
      font-weight: 800;
      font-size: 1.15rem;
      color: var(--fg);
      text-decoration: none;
      letter-spacing: 0.02em;
    }
    /* main takes focus after a new screen (or a direct load) so reading starts at its top; it is no control to ring. */
    main,
    main:focus-visible {
      outline: none;
    }
    main {
      max-width: 72rem;
      margin: 0 auto;
      padding: 1rem;
    }
    .banner {
      padding: 0.55rem 1rem;
      text-align: center;
      font-weight: 600;
    }
    .banner.offline {
      background: var(--warn-bg);
      color: var(--warn);
      border-bottom: 1px solid var(--warn);
    }
    .notices {
      position: fixed;
      inset-inline: 0;
      bottom: 0.75rem;
      display: grid;
      justify-items: center;
      gap: 0.4rem;
      pointer-events: none;
      z-index: 10;
      padding: 0 0.5rem;
    }
    .notices.top {
      bottom: auto;
      top: 0.75rem;
    }
    .notice {
      pointer-events: auto;
      min-width: 0;
      overflow-wrap: anywhere;
      max-width: 36rem;
      background: var(--fg);
      color: var(--bg);
      padding: 0.6rem 0.9rem;
      border-radius: 0.5rem;
      display: flex;
      gap: 0.75rem;
      align-items: center;
      box-shadow: 0 2px 10px rgb(0 0 0 / 0.25);
    }
    .notice.error {
      background: var(--bad);
      /* --bad is dark red on light pages and light red on dark ones: the page's own background reads on both. */
      color: var(--bg);
    }
    .notice span {
      min-width: 0;
    }
    .notice button {
      min-height: 1.8rem;
      padding: 0 0.5rem;
      background: transparent;
      color: inherit;
      border-color: currentColor;
    }
  `,
];
