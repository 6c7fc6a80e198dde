// The API resources and scopes an external application can be given, shipped as data (resources/catalogue.json).
import { z } from 'zod';
import { CatalogueResource, type Catalogue } from '../shared/model';
// Imported, not read from disk: the bundler inlines it, so it works from src (vitest, tsx) and from out/main alike.
import catalogueJson from '../../resources/catalogue.json';

let loaded: Catalogue | null = null;

/** The catalogue, checked against its schema once. */
export function loadCatalogue(): Catalogue {
  loaded ??= z.array(CatalogueResource).parse(catalogueJson);
  return loaded;
}

/** Every scope name of the catalogue, each once. */
export function catalogueScopeNames(catalogue: Catalogue): string[] {
  return [...new Set(catalogue.flatMap((resource) => resource.scopes.map((scope) => scope.name)))];
}
