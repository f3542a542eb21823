import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { it } from 'vitest';
import { sourceAddress } from './source.ts';

const request = (remoteAddress: string, xff?: string) =>
  ({ socket: { remoteAddress }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;

it('the socket peer is the source unless it is a named proxy', () => {
  assert.equal(sourceAddress(request('::ffff:10.0.0.7', '1.2.3.4'), []), '10.0.0.7', 'X-Forwarded-For from anyone else is ignored');
  assert.equal(sourceAddress(request('127.0.0.1', '6.6.6.6, 1.2.3.4'), ['127.0.0.1']), '1.2.3.4', "the proxy's own entry, not the client's claim");
  assert.equal(sourceAddress(request('127.0.0.1'), ['127.0.0.1']), '127.0.0.1', 'no header: the proxy itself');
  assert.equal(sourceAddress(undefined, []), '');
});
