import { describe, expect, it } from 'vitest';
import { MAX_HELD_MESSAGES, ReadGate } from './read-gate.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A gate over a socket that logs its pauses and resumes, taking messages into `taken`. */
function gate(onTake: (n: number, g: ReadGate) => void = () => {}) {
  const log: string[] = [];
  const taken: number[] = [];
  let overflowed = 0;
  const g: ReadGate = new ReadGate(
    { pauseReading: () => log.push('pause'), resumeReading: () => log.push('resume') },
    (data) => {
      taken.push(data[0]!);
      onTake(data[0]!, g);
    },
    () => overflowed++,
  );
  return { g, log, taken, overflowed: () => overflowed };
}

const message = (n: number) => new Uint8Array([n]);

describe('ReadGate', () => {
  it('takes messages at once while reading runs', () => {
    const { g, taken, log } = gate();
    g.offer(message(1));
    g.offer(message(2));
    expect(taken).toEqual([1, 2]);
    expect(log).toEqual([]);
  });

  it('holds what the socket still delivers after a pause, and hands it on in order once reading resumes', () => {
    const { g, taken, log } = gate((n, gate) => n === 1 && gate.pauseReading(10_000));
    for (let n = 1; n <= 5; n++) g.offer(message(n));
    expect(taken).toEqual([1]);
    expect(g.held).toBe(4);
    expect(log).toEqual(['pause']);
    g.resumeReading();
    expect(taken).toEqual([1, 2, 3, 4, 5]);
    expect(log).toEqual(['pause', 'resume']);
  });

  it('stops handing on when a held message pauses reading again, and reads again only once nothing is held', () => {
    const { g, taken, log } = gate((n, gate) => (n === 1 || n === 3) && gate.pauseReading(10_000));
    for (let n = 1; n <= 5; n++) g.offer(message(n));
    g.resumeReading();
    expect(taken).toEqual([1, 2, 3]);
    expect(log).toEqual(['pause', 'pause']);
    // A message that arrives now still waits its turn behind the held ones.
    g.offer(message(6));
    expect(taken).toEqual([1, 2, 3]);
    g.resumeReading();
    expect(taken).toEqual([1, 2, 3, 4, 5, 6]);
    expect(log).toEqual(['pause', 'pause', 'resume']);
  });

  it('resumes by itself when the pause runs out', async () => {
    const { g, taken, log } = gate((n, gate) => n === 1 && gate.pauseReading(30));
    g.offer(message(1));
    g.offer(message(2));
    expect(taken).toEqual([1]);
    await sleep(80);
    expect(taken).toEqual([1, 2]);
    expect(log).toEqual(['pause', 'resume']);
  });

  it('closes a paused client that sends more than it may hold, and takes nothing more', () => {
    const { g, taken, overflowed } = gate((n, gate) => n === 0 && gate.pauseReading(10_000));
    g.offer(message(0));
    for (let i = 0; i < MAX_HELD_MESSAGES; i++) g.offer(message(1));
    expect(overflowed()).toBe(0);
    g.offer(message(2));
    expect(overflowed()).toBe(1);
    expect(g.held).toBe(0);
    g.resumeReading();
    g.offer(message(3));
    expect(taken).toEqual([0]);
  });

  it('drops what it holds when the connection closes, and lets the socket read its closing handshake', () => {
    const { g, taken, log } = gate((n, gate) => n === 1 && gate.pauseReading(10_000));
    g.offer(message(1));
    g.offer(message(2));
    g.close();
    expect(log).toEqual(['pause', 'resume']);
    g.offer(message(3));
    g.resumeReading();
    expect(taken).toEqual([1]);
    expect(log).toEqual(['pause', 'resume']);
  });
});
