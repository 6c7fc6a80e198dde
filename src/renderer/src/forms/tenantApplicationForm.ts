// The application form as a page of the current tenant creates it: checked against the tenant's catalogue and
// applications (loaded here if need be), a refusal that names no field shown as a message, and provided to the page's
// parts. The page gives what its button does: Add registers, an application's page saves.
import { useMessage } from 'naive-ui';
import { toAppError } from '../api';
import { useApplicationsStore } from '../stores/applications';
import { useCatalogueStore } from '../stores/catalogue';
import {
  provideApplicationForm,
  useApplicationForm,
  type ApplicationForm,
  type ApplicationFormOptions,
} from './applicationForm';

export function provideTenantApplicationForm(
  action: Pick<ApplicationFormOptions, 'register'> | Pick<ApplicationFormOptions, 'save'>,
): ApplicationForm {
  const applications = useApplicationsStore();
  const catalogue = useCatalogueStore();
  const message = useMessage();
  const form = useApplicationForm({
    ...action,
    catalogue: () => catalogue.resources,
    applications: () => applications.rows,
    toAppError,
    message: (text) => message.error(text, { duration: 8000 }),
  });
  provideApplicationForm(form);

  // The duplicate-name warning needs the list; the Resource drop-down and the scope rules need the catalogue.
  if (!applications.loaded) applications.load().catch(() => undefined);
  catalogue
    .load()
    .catch((e: unknown) => message.error(`Could not load the resource catalogue: ${toAppError(e).message}`));
  return form;
}
