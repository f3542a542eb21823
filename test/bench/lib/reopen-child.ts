// A second open of a thread in a process of its own, as a person reopening it would run one:
// times, from the capability in hand (after the imports), the newest posts from the sealed
// preview, then the whole thread decoded with its newest posts verified. Prints one JSON line.
//   node --import tsx test/bench/lib/reopen-child.ts <dataDir> <capability> <posts> <newest> <newest post id>
import { initSodium, postsMap } from '#shared';
import { openNodeClient } from '#client-node';
import { newestPosts } from '#client-core/boards.ts';

const [dataDir, cap, postsText, newestText, newestId] = process.argv.slice(2);
const POSTS = Number(postsText);
const NEWEST = Number(newestText);
await initSodium();

const t0 = performance.now();
const client = await openNodeClient({ dataDir: dataDir!, name: 'reader' });
const preview = await client.preview(cap!);
const previewMs = performance.now() - t0;
if (!preview || preview.posts.length !== NEWEST || !preview.posts.every((p) => p.verified) || preview.posts.at(-1)!.id !== newestId) {
  throw new Error('the preview is missing or not the newest posts, verified');
}
const thread = await client.open(cap!);
while (!(thread.plain && postsMap(thread.plain).size >= POSTS && newestPosts(thread, NEWEST).every((p) => p.verified))) {
  await new Promise((r) => setTimeout(r, 2));
}
const wholeMs = performance.now() - t0;
await client.close();
console.log(JSON.stringify({ previewMs, wholeMs }));
process.exit(0);
