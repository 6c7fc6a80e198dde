// The CLI's side of main's confirmation: the owner asks, over the door, the person at the command's terminal. With
// --yes the command line is the confirmation; without a terminal to ask on, the answer is no, with the flag named.
import { createInterface } from 'node:readline/promises';
import { inert } from './inert';

export interface ConfirmQuestion {
  title: string;
  message: string;
  detail: string;
  /** The host a new organisation is at, when that is the question. */
  host?: string;
}

/** --yes on the command line (or OAUTH_DESK_YES=1): the person running the command confirmed in advance. */
export function wantsYes(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  return argv.includes('--yes') || env.OAUTH_DESK_YES === '1';
}

/**
 * The host `orgs add --base-url <url>` names on this command line: the admin typed it, which is their confirmation of
 * that host (and of no other).
 */
export function typedHostOf(argv: readonly string[]): string | undefined {
  const words = argv.slice(2);
  const group = words.find((word) => !word.startsWith('-'));
  if (!['orgs', 'organisations', 'tenants'].includes(group ?? '') || !words.includes('add')) return undefined;
  const at = words.findIndex((word) => word === '--base-url' || word.startsWith('--base-url='));
  if (at < 0) return undefined;
  const flag = words[at] ?? '';
  const url = flag.includes('=') ? flag.slice('--base-url='.length) : words[at + 1];
  const host = URL.parse(url ?? '')?.host;
  return host === '' ? undefined : host;
}

export function cliConfirm(o: {
  yes: boolean;
  /** The host this command line typed (typedHostOf): a question about that host is answered yes. */
  typedHost?: string;
  err: (text: string) => void;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream;
}): (question: ConfirmQuestion) => Promise<boolean> {
  const input = o.input ?? process.stdin;
  const output = o.output ?? process.stderr;
  return async (question) => {
    if (o.yes) return true;
    if (question.host !== undefined && question.host === o.typedHost) return true;
    if (input.isTTY !== true) {
      o.err(
        `oauth-desk: ${question.message} This needs a yes, and there is no terminal to ask on: run the command again with --yes to confirm.`,
      );
      return false;
    }
    const prompt = createInterface({ input, output, terminal: true });
    try {
      output.write(`${inert(`${question.title}\n${question.message}\n${question.detail}`)}\n`);
      const answer = await prompt.question('Type yes to confirm: ');
      return answer.trim().toLowerCase() === 'yes';
    } finally {
      prompt.close();
    }
  };
}
