// Runs a command with the device's client open, and always closes it (releasing the data dir).
import type { BatonClient } from '#client-core';

export async function withClient(opening: Promise<BatonClient>, run: (client: BatonClient) => Promise<number>): Promise<number> {
  const client = await opening;
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}
