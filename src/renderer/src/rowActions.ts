// A table's last column: the row's actions as small quiet buttons at its right end, alike in every table.
import { h } from 'vue';
import { NButton, NSpace, type DataTableColumn } from 'naive-ui';

/** One button of a row; `danger` for what removes something. */
export interface RowAction {
  label: string;
  ariaLabel: string;
  onClick: () => void;
  danger?: boolean;
  disabled?: boolean;
  /** A tooltip, e.g. why the action is disabled. */
  title?: string;
  testid?: string;
}

export function rowActionsColumn<Row extends object>(
  width: number,
  actionsOf: (row: Row) => RowAction[],
): DataTableColumn<Row> {
  return {
    title: '',
    key: 'actions',
    width,
    align: 'right',
    render: (row) =>
      h(NSpace, { size: 4, justify: 'end', wrap: false }, () =>
        actionsOf(row).map((action) =>
          h(
            NButton,
            {
              size: 'small',
              quaternary: true,
              type: action.danger ? 'error' : 'default',
              disabled: action.disabled ?? false,
              title: action.title,
              'aria-label': action.ariaLabel,
              'data-testid': action.testid,
              onClick: action.onClick,
            },
            () => action.label,
          ),
        ),
      ),
  };
}
