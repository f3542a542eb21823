// The loading screen's words (index.html), written here so that npm run l10n:extract finds
// them: main.ts shows them once a language's catalog has loaded, and the build copies each
// language's into index.html (l10n/boot.ts), where they show before any script has loaded.
import { msg } from '@lit/localize';
import type { BootKind } from './boot.ts';

export const bootMessage = (kind: BootKind): string =>
  kind === 'openingThread'
    ? msg('Opening the thread…', { id: 'boot.openingThread' })
    : kind === 'openingBoard'
      ? msg('Opening the board…', { id: 'boot.openingBoard' })
      : msg('Loading Baton…', { id: 'boot.loading' });

/** index.html's `<noscript>` line, in every language at once (no script can choose one). */
export const noscriptMessage = (): string => msg('Baton needs JavaScript: it encrypts and decrypts everything in your browser.', { id: 'boot.noscript' });
