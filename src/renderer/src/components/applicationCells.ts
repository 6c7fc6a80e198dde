// The External Applications table's cells. They are plain elements, not components: with 10 000 rows a search redraws
// every visible row, and a themed component per cell (tag, tooltip ellipsis) costs more than the filtering itself. A
// name or resource list is cut short by CSS (app-cut) and whole in the title: the browser's own tooltip, so hovering
// never redraws the cell. The colours come from the Naive UI theme, through CSS variables on the table.
import { h } from 'vue';
import { NTag } from 'naive-ui';
import { secretStatus } from '../../../shared/secrets';
import { isSecretless } from '../../../shared/secretless';
import { describeExpiry, sentenceCase } from '../dates';
import type { ApplicationRow } from '../stores/applications';

/** What a row's links and buttons do. */
export interface RowActions {
  hrefOf: (row: ApplicationRow) => string;
  open: (event: MouseEvent, row: ApplicationRow) => void;
  copyAppId: (row: ApplicationRow) => void;
}

function nameLink(row: ApplicationRow, actions: RowActions) {
  return h(
    'a',
    {
      class: 'app-name app-cut',
      href: actions.hrefOf(row),
      title: row.name,
      onClick: (e: MouseEvent) => actions.open(e, row),
    },
    row.name,
  );
}

/** The name, a link to the application's page; the admin application is marked. */
export function nameCell(row: ApplicationRow, isAdmin: boolean, actions: RowActions) {
  if (!isAdmin) return nameLink(row, actions);
  return h('span', { class: 'app-name-cell' }, [
    nameLink(row, actions),
    h(
      'span',
      {
        class: 'app-admin',
        title: 'OAuth Desk manages this organisation through this application',
        'data-testid': 'admin-app-mark',
      },
      'Admin',
    ),
  ]);
}

export function appIdCell(row: ApplicationRow, actions: RowActions) {
  return h('span', { class: 'app-id-cell' }, [
    h('code', { class: 'app-id app-cut', title: row.id }, row.id),
    h(
      'button',
      {
        type: 'button',
        class: 'app-copy',
        'aria-label': `Copy the App ID of ${row.name}`,
        'data-testid': 'copy-app-id',
        onClick: () => actions.copyAppId(row),
      },
      'Copy',
    ),
  ]);
}

export function typeCell(row: ApplicationRow) {
  return row.isConfidential
    ? h('span', { class: 'app-type app-type--confidential' }, 'Confidential')
    : h('span', { class: 'app-type app-type--public' }, 'Non-confidential');
}

export function resourcesCell(row: ApplicationRow) {
  return h('span', { class: 'app-cut', title: row.resourceLabels }, row.resourceLabels);
}

/** A confidential application with federated credentials (as last read) and no secret. */
function secretlessCell() {
  return h('span', { class: 'app-secrets' }, [
    h(
      NTag,
      {
        size: 'small',
        bordered: false,
        type: 'success',
        title: 'It signs in with federated credentials only: it has no secret',
        'data-testid': 'secretless-mark',
      },
      () => 'Secretless',
    ),
    '0',
  ]);
}

/**
 * The number of secrets, with a mark when the next one to expire is close to expiry or expired, or Secretless when it
 * has none and federated credentials.
 */
export function secretsCell(row: ApplicationRow) {
  if (row.isConfidential && isSecretless(row.federatedCredentialCount ?? 0, row.secretCount)) return secretlessCell();
  const status = row.nextSecretExpiry ? secretStatus(row.nextSecretExpiry) : 'active';
  // A themed tag only on the few rows that need one; the rest stay plain text.
  if (status === 'active') return String(row.secretCount);
  return h('span', { class: 'app-secrets' }, [
    h(
      NTag,
      {
        size: 'small',
        bordered: false,
        type: status === 'expired' ? 'error' : 'warning',
        'data-testid': 'secret-expiry-mark',
      },
      () => sentenceCase(describeExpiry(row.nextSecretExpiry) ?? ''),
    ),
    String(row.secretCount),
  ]);
}

export function editCell(row: ApplicationRow, actions: RowActions) {
  return h(
    'a',
    {
      class: 'app-edit',
      href: actions.hrefOf(row),
      title: 'Edit',
      'aria-label': `Edit ${row.name}`,
      onClick: (e: MouseEvent) => actions.open(e, row),
    },
    '✎',
  );
}
