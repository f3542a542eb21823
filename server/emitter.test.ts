import assert from 'node:assert/strict';
import { it } from 'vitest';
import { Emitter } from './emitter.ts';

type Events = { said: [text: string, times: number]; closed: [] };

it('every listener of an event hears it, with its arguments; other events stay apart', () => {
  const emitter = new Emitter<Events>();
  const heard: string[] = [];
  emitter.on('said', (text, times) => heard.push(`a ${text} ${times}`));
  emitter.on('said', (text) => heard.push(`b ${text}`));
  emitter.on('closed', () => heard.push('closed'));
  emitter.emit('said', 'hi', 2);
  assert.deepEqual(heard, ['a hi 2', 'b hi']);
  emitter.emit('closed');
  assert.deepEqual(heard.slice(2), ['closed']);
});

it('the function on() returns unsubscribes that listener only, once, even if it was added twice', () => {
  const emitter = new Emitter<Events>();
  let count = 0;
  const listener = () => count++;
  const first = emitter.on('closed', listener);
  emitter.on('closed', listener);
  emitter.emit('closed');
  assert.equal(count, 2);
  first();
  first();
  emitter.emit('closed');
  assert.equal(count, 3);
  assert.equal(emitter.listenerCount('closed'), 1);
});

it('a listener that throws is reported; the others still hear the event and emit does not throw', () => {
  const errors: Array<[string, string]> = [];
  const emitter = new Emitter<Events>((err, event) => errors.push([String(event), (err as Error).message]));
  let heard = 0;
  emitter.on('said', () => {
    throw new Error('broken');
  });
  emitter.on('said', () => heard++);
  emitter.emit('said', 'x', 1);
  assert.equal(heard, 1);
  assert.deepEqual(errors, [['said', 'broken']]);
});

it('a listener may unsubscribe itself or another while the event is delivered', () => {
  const emitter = new Emitter<Events>();
  const heard: string[] = [];
  const stopB = emitter.on('closed', () => heard.push('b'));
  const stopA: () => void = emitter.on('closed', () => {
    heard.push('a');
    stopA();
    stopB();
  });
  emitter.emit('closed');
  emitter.emit('closed');
  assert.deepEqual(heard, ['b', 'a']);
  assert.equal(emitter.listenerCount('closed'), 0);
});
