import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
		serviceWorker: { register: false },
		alias: { $server: 'server/src' },
		// The benchmarks are type-checked and linted with the app's settings.
		typescript: { config: (tsconfig) => ({ ...tsconfig, include: [...tsconfig.include, '../bench/**/*.ts'] }) }
	}
};

export default config;
