// libsodium is initialised once per process; everything else asks for the ready instance.
import sodiumModule from 'libsodium-wrappers';

export type Sodium = typeof sodiumModule;

let ready: Sodium | null = null;

/** Resolves once libsodium is usable. Safe to call any number of times. */
export async function initSodium(): Promise<Sodium> {
  if (ready) return ready;
  await sodiumModule.ready;
  ready = sodiumModule;
  return ready;
}

/** The initialised libsodium. Throws if initSodium() has not resolved yet (a programmer error). */
export function sodium(): Sodium {
  if (!ready) throw new Error('libsodium is not initialised: await initSodium() first');
  return ready;
}
