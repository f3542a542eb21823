// A thread's attached files, for <baton-thread>: a post sealed with its files, files fetched
// on demand for <baton-attachments>, and uploads a closed page left unfinished.
import { msg, str } from '@lit/localize';
import type { ReactiveElement } from 'lit';
import { boards, fetchFile, resumeFileUploads, sealFiles, type Posted, type Space } from '#client-core';
import { fire, type ComposeDetail, type FileRequest } from '../events.ts';
import type { Session } from './session.ts';
import { ShownError, failureReason } from './failure.ts';

/** Seals each file into its own space, then the post naming them (docs/PROTOCOL.md §6). */
export async function postWithFiles(session: Session, space: Space, d: ComposeDetail): Promise<Posted> {
  const sealed = d.files.length > 0 ? await sealFiles(session.client, space, d.files) : null;
  const posted = boards.post(session.client, space, {
    body: d.body,
    ...(d.replyTo ? { replyTo: d.replyTo } : {}),
    ...(sealed ? { attachments: sealed.attachments } : {}),
  });
  // A file's space closes once a relay holds it (its blobs stay queued in the store meanwhile).
  for (const file of sealed?.spaces ?? []) void file.whenDelivered().finally(() => session.client.closeSpace(file.spaceId));
  return posted;
}

/**
 * Posts what the compose box sent, files first; the box empties once the post is in the
 * device's store (a reload before that keeps the draft), and a refusal becomes a notice.
 */
export async function submitPost(host: ReactiveElement, session: Session, space: Space, compose: { sent(): void; failed(): void } | null, d: ComposeDetail): Promise<void> {
  try {
    const { id, written } = await postWithFiles(session, space, d);
    // Which blob carries the post, for its delivery mark after a reload too.
    const last = written.blobs.at(-1);
    if (last) session.local.saveBlobOf(space.spaceId, id, last);
    // The thread drew the post when it was written, before its blob was known here: draw its mark.
    host.requestUpdate();
    await space.saved();
    compose?.sent();
  } catch (err) {
    compose?.failed();
    const reason = failureReason(err);
    fire(host, 'baton-notice', { message: msg(str`Not posted: ${reason}`, { id: 'thread.notPosted' }), kind: 'error' });
  }
}

/** A post's file, fetched from the thread's relays and kept in this device's store. */
export function answerFileRequest(session: Session | null, space: Space | null, e: CustomEvent<FileRequest>): void {
  if (!session || !space) return e.detail.reject(new ShownError('aborted', msg('This thread is closed.', { id: 'thread.closed' })));
  fetchFile(session.client, space, e.detail.attachment, { timeoutMs: 60_000 }).then(e.detail.resolve, e.detail.reject);
}

/** Files this device attached in the thread before the page closed mid-upload go out now. */
export function resumeUploads(session: Session | null, space: Space | null): void {
  if (session && space?.plain) void resumeFileUploads(session.client, space).catch(() => {});
}
