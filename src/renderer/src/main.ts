// Starts the renderer: Pinia for state, the router for views, then the root component.
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router';

// Where the app's own code starts, after the bundle is loaded: the benchmark times the first rows from here.
performance.mark('oauth-desk:renderer-start');

createApp(App).use(createPinia()).use(router).mount('#app');
