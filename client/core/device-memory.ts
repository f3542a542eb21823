// What a device remembers about boards between visits (owners it saw first, moderation records,
// keys its user verified): small JSON values under a scope, in a file or the browser's storage.
// Read back as hostile input: callers check every field of what `load` returns.

export interface DeviceMemory {
  load(scope: string): unknown;
  save(scope: string, value: unknown): void;
}

export class MemoryDeviceMemory implements DeviceMemory {
  private readonly data = new Map<string, string>();
  load(scope: string): unknown {
    const v = this.data.get(scope);
    return v === undefined ? null : (JSON.parse(v) as unknown);
  }
  save(scope: string, value: unknown): void {
    this.data.set(scope, JSON.stringify(value));
  }
}
