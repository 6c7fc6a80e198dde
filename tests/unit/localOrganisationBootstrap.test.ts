// The plan for the local organisation at start, for every combination of what the workspace, the server and the keychain
// tell: create, keep, reissue or refuse, and whether the cached applications of an old server are dropped.
import { describe, expect, it } from 'vitest';
import {
  planLocalOrganisation,
  type AdminSecretFinding,
  type LocalOrganisationFacts,
} from '../../src/main/services/localOrganisationBootstrap';

const secret = { id: '1001', value: 'value-1' };

function facts(
  adminSecret: AdminSecretFinding,
  options: { known?: { partitionGlobalId: string } | null; partitionGlobalId?: string; runsHere?: boolean } = {},
): LocalOrganisationFacts {
  return {
    known: options.known === undefined ? { partitionGlobalId: 'p1' } : options.known,
    server: { partitionGlobalId: options.partitionGlobalId ?? 'p1', runsHere: options.runsHere ?? true },
    adminSecret,
  };
}

describe('planLocalOrganisation', () => {
  describe('a workspace that never knew the local organisation', () => {
    it('refuses when another process runs the server, whatever the keychain holds', () => {
      for (const adminSecret of [{ state: 'missing' }, { state: 'unchecked' }] as const) {
        const plan = planLocalOrganisation(facts(adminSecret, { known: null, runsHere: false }));
        expect(plan.kind).toBe('refuse');
        expect(plan.kind === 'refuse' && plan.error).toMatchObject({
          code: 'organisation_unreachable',
          message: expect.stringMatching(/run by another OAuth Desk process/) as unknown,
        });
      }
    });

    it('keeps the secret the server just issued, and announces the connection', () => {
      expect(planLocalOrganisation(facts({ state: 'issued', secret }, { known: null }))).toEqual({
        kind: 'create',
        secret,
        forgetCache: false,
        announce: true,
      });
    });

    it('asks for a new secret when the server already had its admin application', () => {
      expect(planLocalOrganisation(facts({ state: 'missing' }, { known: null }))).toEqual({
        kind: 'reissue',
        forgetCache: false,
      });
    });
  });

  describe('a workspace that knew the local organisation', () => {
    it('keeps a secret the server accepted', () => {
      expect(planLocalOrganisation(facts({ state: 'works' }))).toEqual({ kind: 'keep', forgetCache: false });
    });

    it("trusts the keychain's secret as it is when another process runs the server", () => {
      expect(planLocalOrganisation(facts({ state: 'unchecked' }, { runsHere: false }))).toEqual({
        kind: 'keep',
        forgetCache: false,
      });
    });

    it('keeps a newly issued secret quietly when the partition is the same', () => {
      expect(planLocalOrganisation(facts({ state: 'issued', secret }))).toEqual({
        kind: 'create',
        secret,
        forgetCache: false,
        announce: false,
      });
    });

    it('asks for a new secret when the keychain lost it, refused to be read, or holds one the server refuses', () => {
      for (const adminSecret of [
        { state: 'missing' },
        { state: 'refused' },
        { state: 'unreadable', cause: new Error('org.freedesktop.DBus.Error.ServiceUnknown') },
      ] as const)
        expect(planLocalOrganisation(facts(adminSecret))).toEqual({ kind: 'reissue', forgetCache: false });
    });

    it('refuses when the keychain has no working secret and another process runs the server', () => {
      for (const adminSecret of [{ state: 'missing' }, { state: 'refused' }] as const) {
        const plan = planLocalOrganisation(facts(adminSecret, { runsHere: false }));
        expect(plan.kind === 'refuse' && plan.error).toMatchObject({
          code: 'unauthorized',
          message: expect.stringMatching(
            /Stop the other OAuth Desk process so this one can issue a new secret/,
          ) as unknown,
        });
      }
    });

    it('refuses naming the keychain when it cannot be read and another process runs the server', () => {
      const plan = planLocalOrganisation(
        facts(
          { state: 'unreadable', cause: new Error('org.freedesktop.DBus.Error.ServiceUnknown') },
          { runsHere: false },
        ),
      );
      expect(plan.kind === 'refuse' && plan.error).toMatchObject({
        code: 'keychain_unavailable',
        message: expect.stringMatching(/^No keychain service is running\./) as unknown,
      });
    });
  });

  describe('a server with a new partition (its database was reset)', () => {
    const reset = { partitionGlobalId: 'p2' };

    it('drops the cache and announces the connection when the server issued the first secret', () => {
      expect(planLocalOrganisation(facts({ state: 'issued', secret }, reset))).toEqual({
        kind: 'create',
        secret,
        forgetCache: true,
        announce: true,
      });
    });

    it('drops the cache whatever else it does', () => {
      expect(planLocalOrganisation(facts({ state: 'works' }, reset))).toEqual({ kind: 'keep', forgetCache: true });
      expect(planLocalOrganisation(facts({ state: 'unchecked' }, { ...reset, runsHere: false }))).toEqual({
        kind: 'keep',
        forgetCache: true,
      });
      expect(planLocalOrganisation(facts({ state: 'refused' }, reset))).toEqual({ kind: 'reissue', forgetCache: true });
    });
  });
});
