// The members a mover can pick from: every key that signed a verified post in the board's
// threads, with the name it used last, newest activity first.
import { boards, type BatonClient, type Space } from '#client-core';

export interface Member {
  key: string;
  name: string;
  posts: number;
  last: number;
}

export async function boardMembers(client: BatonClient, board: Space, me: string): Promise<Member[]> {
  const byKey = new Map<string, Member>();
  for (const t of boards.listThreads(board)) {
    const thread = await boards.openThread(client, board, t.id).catch(() => null);
    if (!thread?.plain) continue;
    for (const p of boards.posts(thread)) {
      if (!p.verified || p.author === me) continue;
      const m = byKey.get(p.author) ?? { key: p.author, name: p.name, posts: 0, last: 0 };
      m.posts++;
      if (p.ts >= m.last) (m.last = p.ts), (m.name = p.name);
      byKey.set(p.author, m);
    }
  }
  return [...byKey.values()].sort((a, b) => b.last - a.last);
}
