// The app's custom events, typed for addEventListener and Lit's @event bindings.
import type { Attachment } from '#shared';
import type { PreparedFile } from '#client-core';

export interface NoticeDetail {
  message: string;
  kind?: 'info' | 'error';
}

export interface ComposeDetail {
  body: string;
  replyTo: string | null;
  /** Files already stripped on this device (baton-attach), to seal with the post. */
  files: PreparedFile[];
}

/** Fires a bubbling, composed event from a component. */
export function fire<K extends keyof BatonEvents>(from: EventTarget, type: K, detail: BatonEvents[K]): void {
  from.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

export interface BatonEvents {
  /** Go to a fragment ('' for the start screen). */
  'baton-navigate': { hash: string };
  'baton-notice': NoticeDetail;
  'baton-compose': ComposeDetail;
  'baton-reply': { postId: string };
  'baton-tag': { tag: string };
  'baton-show-post': { postId: string };
  /** The guide was skipped or read to its end. */
  'baton-guide-done': Record<string, never>;
  'baton-post-edit': { postId: string; body: string };
  'baton-post-delete': { postId: string };
  'baton-post-hide': { postId: string; reason: string; author?: string };
  'baton-verify-key': { key: string; name: string; verified: boolean };
  /** A post's file is wanted: the thread fetches it and answers through resolve or reject. */
  'baton-file': FileRequest;
}

export interface FileRequest {
  attachment: Attachment;
  resolve: (bytes: Uint8Array) => void;
  reject: (err: Error) => void;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'baton-navigate': CustomEvent<BatonEvents['baton-navigate']>;
    'baton-notice': CustomEvent<BatonEvents['baton-notice']>;
    'baton-compose': CustomEvent<BatonEvents['baton-compose']>;
    'baton-reply': CustomEvent<BatonEvents['baton-reply']>;
    'baton-tag': CustomEvent<BatonEvents['baton-tag']>;
    'baton-show-post': CustomEvent<BatonEvents['baton-show-post']>;
    'baton-guide-done': CustomEvent<BatonEvents['baton-guide-done']>;
    'baton-post-edit': CustomEvent<BatonEvents['baton-post-edit']>;
    'baton-post-delete': CustomEvent<BatonEvents['baton-post-delete']>;
    'baton-post-hide': CustomEvent<BatonEvents['baton-post-hide']>;
    'baton-verify-key': CustomEvent<BatonEvents['baton-verify-key']>;
    'baton-file': CustomEvent<BatonEvents['baton-file']>;
  }
}
