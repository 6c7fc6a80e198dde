// The package as an admin installs it: `npm pack`, the tarball installed by npm into a project of its own, and
// `oauth-desk` run from there — built JavaScript only, no TypeScript sources and no TypeScript loader.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliOf, useDeskHome } from './support';

const ROOT = resolve(import.meta.dirname, '../..');
const desk = useDeskHome();

describe('the package installed from its tarball', () => {
  it('holds the built CLI and no sources, installs, and answers --help and apps list', async () => {
    if (!existsSync(join(ROOT, 'out/cli/index.js'))) throw new Error('out/cli is missing: run npm run build first');
    // --ignore-scripts: the CLI is already built (npm test builds before it tests); prepack would build it again
    // under the feet of the CLI tests running beside this one.
    const packed = desk.tempDir();
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packed], { cwd: ROOT, stdio: 'ignore' });
    const tarball = join(packed, readdirSync(packed).find((name) => name.endsWith('.tgz')) ?? 'no tarball');
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    expect(files).toContain('package/bin/oauth-desk.mjs');
    expect(files).toContain('package/out/cli/index.js');
    expect(files.filter((file) => /\.(ts|vue)$/.test(file) || file.startsWith('package/src/'))).toEqual([]);

    const project = desk.tempDir();
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'installs-oauth-desk', private: true }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], {
      cwd: project,
      stdio: 'ignore',
    });
    // What the package needs at run time, and no more: no TypeScript loader comes with it.
    expect(existsSync(join(project, 'node_modules/tsx'))).toBe(false);

    const oauthDesk = cliOf(desk, 0, join(project, 'node_modules/.bin/oauth-desk'));
    const help = await oauthDesk(['--help']);
    expect(help.code).toBe(0);
    for (const group of ['server', 'owner', 'orgs', 'apps', 'scope-sets', 'drafts', 'export', 'import'])
      expect(help.stdout).toMatch(new RegExp(`^\\s+${group}\\b`, 'm'));

    const list = await oauthDesk(['apps', 'list', '--json']);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    // A fresh workspace: the embedded organisation started, with its own admin application listed.
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ name: 'OAuth Desk admin', isConfidential: true }),
    ]);
  }, 300_000);
});
