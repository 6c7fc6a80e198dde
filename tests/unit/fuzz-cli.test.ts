// The CLI's argument parsing with generated hostile command lines (fast-check): the commander program of
// src/cli/program.ts, in this process, over the real dispatch (contract parsing included) whose handlers answer
// "not found". Every command line ends in success, a usage error on stderr (exit 2), or a typed error naming a field.
import { GROUP_SUMMARIES } from '../../src/cli/groups';
import type { Command } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProgram, exitCodeOf } from '../../src/cli/program';
import type { CliIo } from '../../src/cli/context';
import { createDispatch, type Handlers } from '../../src/main/dispatch';
import { AppError, isAppError } from '../../src/shared/errors';
import { hostileText, PROTOTYPE_KEYS } from './fuzz-hostile';

export const CLI_CASES = 1500;

/** Every handler refuses as a missing application would: the CLI's parsing is under test, not the services. */
const handlers = new Proxy({} as Handlers, {
  get: (_target, operation) => () =>
    Promise.reject(new AppError('not_found', `Nothing to ${String(operation)} in the fuzz test.`)),
});
const dispatch = createDispatch(handlers, { currentOrganisation: () => 'local' });

function recordingIo(stdin: string) {
  const out: string[] = [];
  const err: string[] = [];
  const operations: string[] = [];
  const io: CliIo = {
    dispatch: (operation, input) => {
      operations.push(operation);
      return dispatch(operation, input);
    },
    listen: () => Promise.resolve(),
    serve: () => Promise.resolve(),
    runOwner: () => Promise.resolve(0),
    ownerStatus: () => Promise.resolve({ home: '/fuzz', owner: null, sentence: 'No owner in the fuzz test.' }),
    stopOwner: () => Promise.resolve('No owner in the fuzz test.'),
    readStdin: () => Promise.resolve(stdin),
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  };
  return { io, out, err, operations };
}

interface CommandShape {
  path: string[];
  flags: string[];
}

/** Every command (with its path from the root) and its option flags, as the program defines them. */
function shapesOf(command: Command, path: string[] = []): CommandShape[] {
  const own: CommandShape = {
    path,
    flags: command.options.flatMap((option) => [option.long, option.short].filter((f): f is string => !!f)),
  };
  return [own, ...command.commands.flatMap((sub) => shapesOf(sub, [...path, sub.name()]))];
}

// The root's help loads no group; each group's program is built as its command line builds it.
const shapes = (
  await Promise.all(
    Object.keys(GROUP_SUMMARIES).map(async (group) =>
      shapesOf(await buildProgram(recordingIo('').io, ['node', 'oauth-desk', group])),
    ),
  )
).flat();

/** A command line: a real command path, then a mix of its own flags, hostile words and hostile option values. */
const commandLines = fc
  .constantFrom(...shapes)
  .chain((shape) =>
    fc.tuple(
      fc.constant(shape.path),
      fc.array(
        fc.oneof(
          { weight: 3, arbitrary: shape.flags.length > 0 ? fc.constantFrom(...shape.flags) : hostileText },
          { weight: 3, arbitrary: hostileText },
          fc.constantFrom(
            '--',
            '-',
            '--help',
            '--json',
            '--org',
            '--tenant',
            '--=x',
            '--no-such-option',
            ...PROTOTYPE_KEYS,
          ),
          fc
            .tuple(fc.constantFrom(...(shape.flags.length > 0 ? shape.flags : ['--x'])), hostileText)
            .map(([flag, value]) => `${flag}=${value}`),
        ),
        { maxLength: 6 },
      ),
    ),
  )
  .map(([path, rest]) => ['node', 'oauth-desk', ...path, ...rest]);

describe('fuzzing the CLI’s argument parsing', () => {
  it(`ends ${CLI_CASES} hostile command lines in success, a usage error or a typed error`, async () => {
    let reachedDispatch = 0;
    await fc.assert(
      fc.asyncProperty(commandLines, hostileText, async (argv, stdin) => {
        const { io, err, operations } = recordingIo(stdin);
        const program = await buildProgram(io, argv);
        const context = `oauth-desk ${JSON.stringify(argv.slice(2)).slice(0, 300)}`;
        try {
          await program.parseAsync(argv);
        } catch (error) {
          if (operations.length > 0) reachedDispatch++;
          const code = exitCodeOf(error);
          if (isAppError(error)) {
            expect(error.code, context).not.toBe('internal');
            expect(error.message, context).toMatch(/\S/);
            if (error.code === 'invalid_input') {
              expect(code, context).toBe(2);
              for (const issue of error.issues ?? []) expect(issue.field, context).toMatch(/\S/);
            }
            return;
          }
          // Anything else must be commander's own usage error, already explained on stderr.
          expect((error as Error).name, `${context}: ${String(error)}`).toBe('CommanderError');
          if (code !== 0) expect(err.join('\n'), context).toMatch(/\S/);
        }
      }),
      { numRuns: CLI_CASES },
    );
    // The generated lines are not all refused by commander: a good share gets through to the dispatch.
    expect(reachedDispatch).toBeGreaterThan(CLI_CASES / 10);
  });
});
