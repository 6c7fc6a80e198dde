// Whatever an organisation, an import file or an error holds, what oauth-desk prints is inert in a terminal: an OSC 52
// sequence (which writes the clipboard), an OSC 8 link or a screen clear never reaches it, and a name with a
// text-direction override (`inv‮oice`) is refused, naming the field.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inert, isUnsafeInTerminal } from '../../src/cli/inert';
import { checkRegistration, normalizeDraft } from '../../src/shared/rules';
import { cliOf, freePort, useDeskHome } from './support';

const desk = useDeskHome();
const cli = cliOf(desk, await freePort());
const ESC = '\u001b';
const OSC52 = `${ESC}]52;c;ZXZpbA==\u0007`;
const LINK = `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`;
const CLEAR = `${ESC}[2J`;

describe('what the CLI prints', { timeout: 120_000 }, () => {
  it('shows each control character of an import file as its escape, never the character', async () => {
    const file = join(desk.tempDir(), 'hostile.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'oauth-desk-export',
        version: 1,
        exported_at: '2026-12-01T10:00:00Z',
        organisation: { id: `acme${CLEAR}`, org_name: 'acme', base_url: 'https://cloud.uipath.com' },
        registrations: [
          {
            client_name: `Invoices${OSC52}`,
            token_endpoint_auth_method: 'client_secret_post',
            redirect_uris: [],
            resources: [{ name: 'Orchestrator API Access', user_scopes: [], application_scopes: ['OR.Jobs'] }],
          },
          {
            client_name: `Pay${LINK}`,
            token_endpoint_auth_method: 'client_secret_post',
            redirect_uris: [],
            resources: [{ name: `Orchestrator${CLEAR}`, user_scopes: [], application_scopes: [`OR.${CLEAR}`] }],
          },
        ],
        scope_sets: [{ name: `Set${OSC52}`, description: LINK, user_scopes: [], application_scopes: ['OR.Jobs'] }],
      }),
    );
    for (const args of [
      ['import', file, '--dry-run'],
      ['import', file, '--dry-run', '--json'],
    ]) {
      const run = await cli(args);
      const printed = run.stdout + run.stderr;
      expect(Array.from(printed, (c) => c.charCodeAt(0)).filter(isUnsafeInTerminal)).toEqual([]);
      expect(printed).toContain('\\u001b');
    }
  });

  it('refuses a name with a text-direction override, naming the field', async () => {
    const run = await cli(['apps', 'create', 'inv\u202eoice', '--app-scope', 'OR.Jobs']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^oauth-desk: name: Application Name must not contain .*text-direction overrides/m);
    expect(run.stderr).not.toContain('\u202e');
    const verdict = checkRegistration(normalizeDraft({ name: 'pay\u2066roll', isConfidential: true, scopes: [] }), []);
    expect(verdict.errors.map((e) => e.field)).toContain('name');
  });

  it('keeps line breaks and tabs, and escapes the rest', () => {
    expect(inert(`a\tb\nc${OSC52}`)).toBe('a\tb\nc\\u001b]52;c;ZXZpbA==\\u0007');
    expect(inert('inv\u202eoice')).toBe('inv\\u202eoice');
  });
});
