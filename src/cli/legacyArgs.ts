// The command line's old words, still understood so that scripts keep working: `tenants` is `orgs`, `--tenant` is
// `--org`, and `tenants add --org NAME` (the organisation's URL name) is `orgs add --org-name NAME`. Neither is listed
// in the help.

/** `argv` (as process.argv: node, script, arguments) in today's words. */
export function legacyArgs(argv: readonly string[]): string[] {
  const [node = '', script = '', ...args] = argv;
  const group = args.findIndex((arg) => !arg.startsWith('-'));
  const wasTenants = group >= 0 && args[group] === 'tenants';
  const adding = wasTenants && args.slice(group + 1).find((arg) => !arg.startsWith('-')) === 'add';
  const renamed = args.map((arg, index) => {
    if (index === group && wasTenants) return 'orgs';
    if (adding && (arg === '--org' || arg.startsWith('--org='))) return arg.replace('--org', '--org-name');
    if (arg === '--tenant' || arg.startsWith('--tenant=')) return arg.replace('--tenant', '--org');
    return arg;
  });
  return [node, script, ...renamed];
}
