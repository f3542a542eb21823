// baton identity show | export | import <exported identity>
import { exportIdentity, toBase64url } from '#shared';
import { replaceIdentity } from '#client-core';
import { IdentityFile, defaultDataDir } from '#client-node';
import { positional, type Args } from '../args.ts';
import { say, str } from '../l10n.ts';
import { CliExit, ExitCode, printJson } from '../output.ts';
import { openClient } from '../session.ts';
import { withClient } from './with-client.ts';

export async function identityCommand(args: Args): Promise<number> {
  const sub = positional(args, 0, say('identity subcommand (show, export or import)', { id: 'cli.whatIdentitySub' }));
  if (sub === 'show' || sub === 'export') {
    return withClient(openClient(args), async (client) => {
      const shown = { publicKey: toBase64url(client.identity.publicKey), name: client.name };
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
  throw new CliExit(ExitCode.usage, say(str`unknown identity subcommand "${sub}" (expected show, export or import)`, { id: 'cli.unknownIdentitySub' }));
}
