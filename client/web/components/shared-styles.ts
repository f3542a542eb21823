// Styles every component adopts: calm, high-contrast, system fonts, a visible focus ring.
// Colours come from custom properties set in ../global.css (light and dark).
import { css } from 'lit';

export const base = css`
  :host {
    box-sizing: border-box;
    color: var(--fg);
    font: inherit;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  h1,
  h2,
  h3 {
    line-height: 1.25;
    margin: 0 0 0.5rem;
    overflow-wrap: anywhere;
  }
  h1 {
    font-size: 1.5rem;
  }
  h2 {
    font-size: 1.2rem;
  }
  h3 {
    font-size: 1rem;
  }
  p {
    margin: 0 0 0.75rem;
  }
  /*
   * Each paragraph of words takes its direction from its own first letter (as dir=auto does),
   * so an English sentence on a right-to-left page keeps its full stop at its end, and a
   * translated one reads right to left; times and badges are isolated from the words around them.
   */
  h1,
  h2,
  h3,
  p,
  label,
  summary,
  li,
  .small,
  .muted,
  .badge {
    unicode-bidi: plaintext;
  }
  time {
    unicode-bidi: isolate;
  }
  a {
    color: var(--link);
  }
  /* A "back" arrow points the way the page reads. */
  .back:dir(rtl) {
    display: inline-block;
    transform: scaleX(-1);
  }
  button,
  .button {
    font: inherit;
    min-height: 2.5rem;
    padding: 0.4rem 0.9rem;
    border-radius: 0.4rem;
    border: 1px solid var(--line-strong);
    background: var(--card);
    color: var(--fg);
    cursor: pointer;
    text-decoration: none;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.35rem;
  }
  button:hover {
    background: var(--hover);
  }
  button.primary {
    background: var(--accent);
    border-color: var(--accent);
    color: var(--accent-fg);
    font-weight: 600;
  }
  button.primary:hover {
    background: var(--accent-hover);
  }
  button.link {
    border: none;
    background: none;
    padding: 0.2rem 0.3rem;
    min-height: 0;
    color: var(--link);
    text-decoration: underline;
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  input,
  textarea,
  select {
    font: inherit;
    color: var(--fg);
    background: var(--field);
    border: 1px solid var(--line-strong);
    border-radius: 0.4rem;
    padding: 0.5rem 0.6rem;
    width: 100%;
    /* Set, not inherited: inside <details> a field's parent is the browser's own content box. */
    box-sizing: border-box;
    min-height: 2.5rem;
  }
  textarea {
    resize: vertical;
    line-height: 1.45;
  }
  label {
    font-weight: 600;
    display: block;
    margin-bottom: 0.25rem;
  }
  :focus-visible {
    outline: 3px solid var(--focus);
    outline-offset: 2px;
  }
  input:focus-visible,
  textarea:focus-visible {
    outline-offset: 0;
  }
  .row {
    display: flex;
    gap: 0.5rem;
    align-items: flex-end;
    flex-wrap: wrap;
  }
  .row > .grow {
    flex: 1 1 12rem;
    min-width: 0;
  }
  .card {
    background: var(--card);
    border: 1px solid var(--line);
    border-radius: 0.6rem;
    padding: 1rem;
    margin-bottom: 1rem;
  }
  .muted {
    color: var(--muted);
  }
  .small {
    font-size: 0.875rem;
  }
  .mono {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    font-size: 0.85em;
    overflow-wrap: anywhere;
  }
  .warning {
    border-inline-start: 4px solid var(--warn);
    background: var(--warn-bg);
    padding: 0.5rem 0.75rem;
    border-radius: 0.3rem;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .badge {
    display: inline-block;
    font-size: 0.8rem;
    padding: 0.05rem 0.45rem;
    border-radius: 999px;
    border: 1px solid currentColor;
    white-space: nowrap;
  }
  .ok {
    color: var(--ok);
  }
  .bad {
    color: var(--bad);
  }
  .warn {
    color: var(--warn);
  }
  ul.plain {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  /* Something is on its way (a slow link can take seconds): the same bar as index.html's. */
  .loading-bar {
    height: 4px;
    max-width: 20rem;
    margin: 0.25rem 0 1rem;
    border-radius: 2px;
    background: linear-gradient(90deg, var(--accent) 0 30%, var(--line) 30% 100%) 0 0 / 200% 100%;
    animation: loading-slide 1.2s linear infinite;
  }
  @keyframes loading-slide {
    to {
      background-position: -200% 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .loading-bar {
      animation: none;
    }
  }
`;

/** A page's title row: the heading, and its buttons on the same line when they fit. */
export const titleRow = css`
  .title {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    justify-content: space-between;
    flex-wrap: wrap;
    margin-bottom: 0.5rem;
  }
  .title h1 {
    margin: 0;
  }
`;

/** A modal dialog's frame and its heading row (the share dialog, Remove a member); each sets its own width. */
export const dialogFrame = css`
  dialog {
    max-height: calc(100vh - 2rem);
    border: 1px solid var(--line-strong);
    border-radius: 0.6rem;
    background: var(--bg);
    color: var(--fg);
    padding: 1rem;
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.45);
  }
  .head {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 1rem;
  }
`;
