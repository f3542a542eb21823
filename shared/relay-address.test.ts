import { test } from 'vitest';
import assert from 'node:assert/strict';
import { parseIPv6, relayAddressKind } from './relay-address.ts';

test('loopback, private, link-local and other non-public IPv4 addresses are local, in every spelling', () => {
  for (const host of ['127.0.0.1', '127.1', '2130706433', '0x7f.0.0.1', '0177.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '198.18.0.1', '192.0.2.1']) {
    assert.equal(relayAddressKind(`http://${host}:8787`), 'local', host);
  }
  for (const host of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '192.169.0.1', '1.1.1.1', '11.0.0.1']) assert.equal(relayAddressKind(`https://${host}`), 'public', host);
});

test('IPv6: loopback, unspecified, ULA, link-local, multicast and IPv4 inside IPv6 are judged by what they reach', () => {
  for (const host of ['::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::127.0.0.1', '64:ff9b::a00:1', '2002:c0a8:101::1', '2001:db8::1', '::ffff:0:192.168.0.1', '2001::1']) {
    assert.equal(relayAddressKind(`http://[${host}]:8787`), 'local', host);
  }
  for (const host of ['2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1']) assert.equal(relayAddressKind(`http://[${host}]`), 'public', host);
  assert.deepEqual(parseIPv6('::ffff:1.2.3.4'), [0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
  assert.deepEqual(parseIPv6('1:2:3:4:5:6:7:8'), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(parseIPv6('1::2::3'), null);
  assert.equal(parseIPv6('1:2:3'), null);
});

test('local names are local; other names are public; only http(s) and ws(s) are relays', () => {
  for (const url of ['http://localhost:8787', 'http://LOCALHOST.', 'http://a.localhost', 'http://printer.local', 'http://relay.internal', 'http://nas.lan', 'http://box.home.arpa', 'http://intranet']) {
    assert.equal(relayAddressKind(url), 'local', url);
  }
  assert.equal(relayAddressKind('https://relay.example.org/baton'), 'public');
  assert.equal(relayAddressKind('wss://relay.example.org'), 'public');
  for (const url of ['ftp://relay.example.org', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', 'gopher://x.org']) assert.equal(relayAddressKind(url), 'bad', url);
});
