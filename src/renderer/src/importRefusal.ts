// Why an import file was refused, as one sentence: main names the field of the document it refused (`document.…`);
// the admin reads where in the file that is, and the rule's words.
import type { Issue } from '../../shared/errors';

export function importRefusal(issue: Issue): string {
  if (issue.field === 'document') return 'it is not an OAuth Desk export.';
  const path = issue.field.replace(/^document\./, '');
  const cut = path.lastIndexOf('.');
  // The message names the last key itself ("client_name is required."): the place is what is before it.
  if (cut === -1) return `${issue.message.charAt(0).toUpperCase()}${issue.message.slice(1)}`;
  return `in ${path.slice(0, cut)}, ${issue.message}`;
}
