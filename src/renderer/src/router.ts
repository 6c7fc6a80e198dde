// The views of the app. Hash history: the page's URL is the app's own (app:// in Electron, a file, or a test server).
import { createRouter, createWebHashHistory } from 'vue-router';
// The list is the first view: part of the main bundle, so its rows do not wait for another file to load.
import ApplicationsView from './views/ApplicationsView.vue';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/applications' },
    { path: '/applications', name: 'applications', component: ApplicationsView },
    { path: '/applications/new', name: 'add-application', component: () => import('./views/AddApplicationView.vue') },
    { path: '/applications/:clientId', name: 'application', component: () => import('./views/ApplicationView.vue') },
    { path: '/users', name: 'users', component: () => import('./views/UsersView.vue') },
    { path: '/scope-sets', name: 'scope-sets', component: () => import('./views/ScopeSetsView.vue') },
    { path: '/scope-sets/new', name: 'new-scope-set', component: () => import('./views/ScopeSetEditView.vue') },
    {
      path: '/scope-sets/:setId/edit',
      name: 'scope-set',
      component: () => import('./views/ScopeSetEditView.vue'),
    },
    {
      // ?set=<id> to choose the applications; ?change=<id> to go on with a pending change.
      path: '/scope-sets/apply',
      name: 'apply-scope-set',
      component: () => import('./views/ApplyScopeSetView.vue'),
    },
    { path: '/activity', name: 'activity', component: () => import('./views/ActivityView.vue') },
    {
      path: '/organisations/new',
      name: 'add-organisation',
      component: () => import('./views/AddOrganisationView.vue'),
    },
  ],
});
