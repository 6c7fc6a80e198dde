// The application form as a page of the current organisation creates it: checked against the organisation's catalogue and
// applications (loaded here if need be), a refusal that names no field shown as a message, and provided to the page's
// parts. The page gives what its button does: Add registers, an application's page saves.
import { useApplicationsStore } from '../stores/applications';
import { useCatalogueStore } from '../stores/catalogue';
import {
  provideApplicationForm,
  useApplicationForm,
  type ApplicationForm,
  type ApplicationFormOptions,
} from './applicationForm';
import { useAction, useNotices } from '../useAction';

export function provideOrganisationApplicationForm(
  action: Pick<ApplicationFormOptions, 'register'> | Pick<ApplicationFormOptions, 'save'>,
): ApplicationForm {
  const applications = useApplicationsStore();
  const catalogue = useCatalogueStore();
  const notices = useNotices();
  const form = useApplicationForm({
    ...action,
    catalogue: () => catalogue.resources,
    applications: () => applications.rows,
    message: notices.error,
  });
  provideApplicationForm(form);

  // The duplicate-name warning needs the list; the Resource drop-down and the scope rules need the catalogue.
  if (!applications.loaded) applications.load().catch(() => undefined);
  void useAction(() => catalogue.load(), { failure: 'Could not load the resource catalogue', notices }).run();
  return form;
}
