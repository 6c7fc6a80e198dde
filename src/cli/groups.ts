// The command groups by the name they answer to, in the order `--help` lists them, with the line it shows for each.
/**
 * Each group as the root's help lists it. The root's help (and a mistyped command's suggestion) needs no more: it
 * loads no group module, so `oauth-desk --help` costs little more than Node's own start.
 */
export const GROUP_SUMMARIES = {
  server: { usage: 'server', summary: 'run the embedded Identity Server in the foreground and print its URL' },
  owner: {
    usage: 'owner',
    summary: 'the OAuth Desk process that owns the data folder (the app, `oauth-desk server` or a background one)',
  },
  orgs: { usage: 'orgs', summary: 'the organisations this workspace knows (also `organisations`)' },
  sync: {
    usage: 'sync',
    summary: "refresh an organisation's resource catalogue and applications into the workspace cache",
  },
  apps: { usage: 'apps', summary: 'external applications' },
  users: { usage: 'users', summary: 'users of the local organisation, who sign in on its page for user scopes' },
  activity: { usage: 'activity', summary: 'what was done in this workspace, newest first' },
  'scope-sets': { usage: 'scope-sets', summary: 'named sets of scopes, applied to many applications' },
  drafts: { usage: 'drafts', summary: 'registrations saved as drafts (apps create … --draft)' },
  export: {
    usage: 'export',
    summary:
      "an organisation's registrations and the scope sets as JSON (no secrets); schemas/oauth-desk-export.schema.json",
  },
  import: {
    usage: 'import <file>',
    summary: 'create or update the registrations of an export document, matched by name; exit 1 when any is refused',
  },
} as const satisfies Record<string, { usage: string; summary: string }>;

export type GroupName = keyof typeof GROUP_SUMMARIES;
