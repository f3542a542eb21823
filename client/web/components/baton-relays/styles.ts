// Styles of <baton-relays>.
import { css } from 'lit';
import { base } from '../shared-styles.ts';

export const styles = [
  base,
  css`
    li {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 0.6rem;
      align-items: baseline;
      padding: 0.45rem 0;
      border-bottom: 1px solid var(--line);
    }
    .url {
      flex: 1 1 12rem;
      min-width: 0;
    }
    .state-synced {
      color: var(--ok);
    }
    .state-connecting {
      color: var(--muted);
    }
    .state-unreachable,
    .state-refused {
      color: var(--warn);
    }
    .state-bad-data {
      color: var(--bad);
    }
    button.small-action {
      min-height: 2rem;
      padding: 0.1rem 0.6rem;
    }
    .detail {
      flex-basis: 100%;
    }
    form {
      margin-top: 0.75rem;
    }
    .error {
      color: var(--bad);
    }
    .warn {
      color: var(--warn);
    }
    details.skipped {
      margin-top: 0.6rem;
    }
    details.skipped summary {
      font-weight: 700;
      cursor: pointer;
      padding: 0.3rem 0;
    }
    .skipped .url {
      color: var(--muted);
    }
  `,
];
