// The wire module: the messages of a sync connection, the HTTP client of a relay's API, and
// every cap on what is read from a relay.
export * from './limits.ts';
export * from './messages.ts';
export * from './fetch.ts';
export * from './http-client.ts';
