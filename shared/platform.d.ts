// The few globals shared/ uses, typed by the little it uses of them. Every runtime Baton runs
// on has them (Node 20 and later, browsers, Web Workers), so shared/ is checked without the
// DOM or Node types: a use of anything else fails to compile (docs/ARCHITECTURE.md).

declare global {
  class TextEncoder {
    encode(input?: string): Uint8Array<ArrayBuffer>;
  }

  class TextDecoder {
    constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
    decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
  }

  class URL {
    constructor(url: string | URL, base?: string | URL);
    hash: string;
    host: string;
    hostname: string;
    href: string;
    readonly origin: string;
    password: string;
    pathname: string;
    port: string;
    protocol: string;
    search: string;
    username: string;
    toString(): string;
  }

  var crypto: {
    getRandomValues<T extends ArrayBufferView>(array: T): T;
    readonly subtle: {
      digest(algorithm: 'SHA-256', data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
    };
  };
}

export {};
