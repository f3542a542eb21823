// The end of a benchmark script: everything it opened (relays, clients, providers, sockets,
// child processes, timers) is closed by now, so the process leaves by itself. If something
// still holds it open a few seconds later, that is a leak in the script: name what is left,
// and leave anyway with LEAK_EXIT_CODE, so `npm run bench` goes on and reports it.
// BENCH_WHY=1 also records where each timer, socket and child process was created (an
// async hook: it slows the benchmark, so the figures of such a run mean little).
import { createHook } from 'node:async_hooks';
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

export const LEAK_EXIT_CODE = 3;
const GRACE_MS = 5000;

const origins = new Map<number, { type: string; stack: string; resource: object }>();
if (process.env.BENCH_WHY) {
  createHook({
    init(id, type, _trigger, resource) {
      if (!/^(Timeout|TCPWRAP|TCPSERVERWRAP|PIPEWRAP|PROCESSWRAP|Immediate|FSEVENTWRAP|SIGNALWRAP)$/.test(type)) return;
      const stack = (new Error().stack ?? '').split('\n').slice(2).filter((l) => !/[( ]node:/.test(l)).slice(0, 6).join('\n      ');
      origins.set(id, { type, stack, resource });
    },
    destroy(id) {
      origins.delete(id);
    },
  }).enable();
}

/** Call once the figures are written. */
export function finish(): void {
  const timer = setTimeout(() => {
    const left = openHandles();
    process.stderr.write(`left open at the end (a leak to fix in the script): ${left.join('; ') || 'nothing named'}\n`);
    if (origins.size > 0) {
      for (const o of origins.values()) {
        const ref = (o.resource as { hasRef?: () => boolean }).hasRef;
        if (o.resource === timer || (typeof ref === 'function' && !ref.call(o.resource))) continue;
        process.stderr.write(`  ${o.type} created at\n      ${o.stack}\n`);
      }
    } else {
      process.stderr.write('  (BENCH_WHY=1 shows where each was created)\n');
    }
    process.exit(LEAK_EXIT_CODE);
  }, GRACE_MS);
  // The timer itself must not keep the process alive: if nothing else does, it exits now.
  timer.unref();
}

/** What keeps the event loop alive: sockets, servers and child processes by name, the rest counted by kind. */
export function openHandles(): string[] {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  const named: string[] = [];
  for (const h of handles) {
    // Standard streams never keep a process alive on their own.
    if (h === process.stdout || h === process.stderr || h === process.stdin) continue;
    const hasRef = (h as { hasRef?: () => boolean }).hasRef;
    if (typeof hasRef === 'function' && !hasRef.call(h)) continue;
    named.push(describe(h));
  }
  // Timers and requests in flight do not show as handles: count them by kind.
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) {
    if (/^(TTYWrap|TCPSocketWrap|TCPServerWrap|PipeWrap|ProcessWrap)$/.test(kind)) continue; // named above
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  // Only referenced timers are counted (the finish timer is not).
  return [...named, ...[...counts].map(([kind, n]) => `${n} ${kind}`)];
}

function describe(h: unknown): string {
  const name = (h as object)?.constructor?.name ?? typeof h;
  if (name === 'Socket') {
    const s = h as Socket;
    if (s.remotePort !== undefined) return `socket ${s.localAddress}:${s.localPort} -> ${s.remoteAddress}:${s.remotePort}`;
    return "pipe (a child process's stdio?)";
  }
  if (name === 'Server') return `server listening on ${JSON.stringify((h as { address(): unknown }).address())}`;
  if (name === 'ChildProcess') {
    const c = h as ChildProcess;
    return `child process ${c.pid} (${c.spawnargs.slice(0, 4).join(' ')})`;
  }
  return name;
}
