// baton identity show | export | import <exported identity>
// baton identity code <key> | verify <key> <name> | unverify <key> | verified
import { exportIdentity, isIdentityKey, safetyCode, toBase64url } from '#shared';
import { VerifiedKeys, replaceIdentity } from '#client-core';
import { IdentityFile, MemoryFile, defaultDataDir } from '#client-node';
import { positional, type Args } from '../args.ts';
import { say, str } from '../l10n.ts';
import { CliExit, ExitCode, printJson } from '../output.ts';
import { openClient } from '../session.ts';
import { withClient } from './with-client.ts';

export async function identityCommand(args: Args): Promise<number> {
  const sub = positional(args, 0, say('identity subcommand (show, export or import)', { id: 'cli.whatIdentitySub' }));
  if (sub === 'show' || sub === 'export') {
    return withClient(openClient(args), async (client) => {
      const shown = { publicKey: toBase64url(client.identity.publicKey), name: client.name, safetyCode: safetyCode(client.identity.publicKey) };
      printJson(sub === 'export' ? { ...shown, identity: exportIdentity(client.identity) } : shown);
      return ExitCode.ok;
    });
  }
  if (sub === 'import') {
    const exported = positional(args, 1, say('exported identity (baton-identity:v1:...)', { id: 'cli.whatExportedIdentity' }));
    return withClient(openClient(args), async () => {
      const { identity, name } = await replaceIdentity(new IdentityFile(args.data ?? defaultDataDir()), exported, args.name);
      printJson({ publicKey: toBase64url(identity.publicKey), name });
      return ExitCode.ok;
    });
  }
  if (sub === 'code' || sub === 'verify' || sub === 'unverify') return verification(args, sub);
  if (sub === 'verified') {
    printJson(new VerifiedKeys(new MemoryFile(args.data ?? defaultDataDir())).list().map((v) => ({ ...v, safetyCode: safetyCode(v.key) })));
    return ExitCode.ok;
  }
  throw new CliExit(ExitCode.usage, say(str`unknown identity subcommand "${sub}" (expected show, export, import, code, verify, unverify or verified)`, { id: 'cli.unknownIdentitySub' }));
}

/**
 * Another member's safety code, and marking their key verified on this device once the codes
 * match in person (docs/PROTOCOL.md §6, "Safety codes"): `read` then shows their posts so.
 */
function verification(args: Args, sub: 'code' | 'verify' | 'unverify'): number {
  const key = positional(args, 1, say('identity key', { id: 'cli.whatIdentityKey' }));
  if (!isIdentityKey(key)) throw new CliExit(ExitCode.usage, say('an identity key is 43 characters of base64url', { id: 'cli.badIdentityKey' }));
  const keys = new VerifiedKeys(new MemoryFile(args.data ?? defaultDataDir()));
  if (sub === 'verify') keys.mark(key, positional(args, 2, say('the name you know them by', { id: 'cli.whatVerifiedName' })));
  if (sub === 'unverify') keys.unmark(key);
  printJson({ publicKey: key, safetyCode: safetyCode(key), verified: keys.has(key) });
  return ExitCode.ok;
}
