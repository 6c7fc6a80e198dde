// Becoming a data folder's owner: the lock when it is free; a background owner asked to hand over when the desktop
// app or `oauth-desk server` starts; otherwise a sentence naming who owns the folder. Who may take over whom is
// decided by `mayTakeOver`, a pure function.
import { AppError } from '../../shared/errors';
import { connectToOwner, type OwnerHello } from '../../node/ownerClient';
import { ownerPaths, type OwnerKind } from '../../node/ownerDoor';
import { tryOwnerLock, waitForOwnerLock, type OwnerLock } from './lock';

/** How long a background owner may take to close after it was asked to hand over. */
const HAND_OVER_MS = 15_000;

/** Only the desktop app and the foreground server ask the owner to leave, and only a background owner agrees. */
export function mayTakeOver(taker: OwnerKind, held: OwnerKind): boolean {
  return (taker === 'desktop' || taker === 'server') && held === 'background';
}

/** Who holds the folder, in words: "the OAuth Desk app (process 123)". */
export function ownerWords(hello: Pick<OwnerHello, 'kind' | 'pid' | 'version'>): string {
  const who = {
    desktop: 'the OAuth Desk app',
    server: '`oauth-desk server`',
    background: 'a background OAuth Desk process',
    command: 'another oauth-desk command',
  }[hello.kind];
  return `${who} (process ${hello.pid}, version ${hello.version})`;
}

/** The folder has an owner already, and this process may not take its place. */
export class FolderInUse extends AppError {}

/** How long a background owner waits for the lock: the owner it replaces may still be closing. */
const BACKGROUND_WAIT_MS = 3000;

export async function takeOwnership(home: string, kind: OwnerKind): Promise<OwnerLock> {
  const paths = ownerPaths(home);
  const lock =
    kind === 'background' ? await waitForOwnerLock(paths.lock, BACKGROUND_WAIT_MS) : tryOwnerLock(paths.lock);
  if (lock) return lock;
  const owner = await connectToOwner(paths, home).catch(() => null);
  if (owner && mayTakeOver(kind, owner.hello.kind)) {
    await owner.handOver();
    const taken = await waitForOwnerLock(paths.lock, HAND_OVER_MS);
    if (taken) return taken;
  }
  owner?.close();
  throw new FolderInUse(
    'server_error',
    owner
      ? `This data folder (${home}) is in use by ${ownerWords(owner.hello)}. Quit it first, or use the oauth-desk command, which works through it.`
      : `This data folder (${home}) is in use by another OAuth Desk process that does not answer yet; try again in a moment.`,
  );
}
