// The views of the app. Hash history, because the page is loaded from a file in Electron.
import { createRouter, createWebHashHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/applications' },
    { path: '/applications', name: 'applications', component: () => import('./views/ApplicationsView.vue') },
    { path: '/applications/new', name: 'add-application', component: () => import('./views/AddApplicationView.vue') },
    { path: '/activity', name: 'activity', component: () => import('./views/ActivityView.vue') },
  ],
});
