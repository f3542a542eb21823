// A thread's moderation on this device: the board's authority (the owner this device goes by,
// the moderators and hides its records give), the keys this device verified, and the actions a
// post's buttons ask for (delete and edit one's own post, hide as a moderator, mark a key verified).
import { ClientError, ModerationBook, VerifiedKeys, boards, checkOwner, hideOf, mayAct, moderation, type Authority, type OwnerCheck, type Space } from '#client-core';
import { toBase64url } from '#shared';
import type { Session } from '../../lib/session.ts';

export class ThreadModeration {
  readonly verified: VerifiedKeys;
  private book: ModerationBook | null = null;
  owner: OwnerCheck | null = null;
  authority: Authority | null = null;

  constructor(
    private readonly session: Session,
    readonly board: Space | null,
  ) {
    const memory = session.local.memory();
    this.verified = new VerifiedKeys(memory);
    if (board?.plain && board.cap.kind === 'board') {
      this.owner = checkOwner(memory, board.spaceId, board.cap.owner);
      this.book = new ModerationBook(memory, board.spaceId);
    }
  }

  /** Recomputes the board's authority (on every change of the board). */
  refresh(): void {
    this.authority = this.book && this.board?.plain ? this.book.authority(this.board.plain, this.owner?.owner ?? null) : null;
  }

  get me(): string {
    return toBase64url(this.session.client.identity.publicKey);
  }

  role(key: string): string {
    const a = this.authority;
    if (!a) return '';
    return a.owners.includes(key) ? 'owner' : a.moderators.includes(key) ? 'moderator' : '';
  }

  hideOf(thread: string, post: { id: string; author: string; verified: boolean }) {
    return this.authority && post.verified ? hideOf(this.authority, thread, post.id, post.author) : null;
  }

  /** This device may hide posts: it holds the board's write key and its identity is an owner or moderator. */
  get canModerate(): boolean {
    return !!this.authority && this.board?.access === 'write' && mayAct(this.authority, this.me, 'hide');
  }

  deletePost(thread: Space, postId: string): void {
    boards.deletePost(this.session.client, thread, postId);
  }

  editPost(thread: Space, postId: string, body: string): void {
    boards.editPost(this.session.client, thread, postId, body);
  }

  /** Hides one post, or (with its author's key) every post of that key. */
  hidePost(thread: Space, postId: string, reason: string, author?: string): void {
    if (!this.board || !this.authority) throw new ClientError('bad-input', 'hiding needs the board this thread belongs to');
    const m = { board: this.board, identity: this.session.client.identity, authority: this.authority };
    const why = reason ? { reason } : {};
    if (author) moderation.hideKey(m, { key: author, ...why });
    else moderation.hidePost(m, { thread: thread.spaceId, post: postId, ...why });
  }
}
