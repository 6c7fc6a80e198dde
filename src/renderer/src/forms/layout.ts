// The layout every validated form shares: labels above their fields, a required field's mark hanging right of its label.
export const FORM_LAYOUT = { labelPlacement: 'top', requireMarkPlacement: 'right-hanging' } as const;
