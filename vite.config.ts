import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';

// Vitest runs without the PWA and i18n build plugins: they keep watchers open and are not under test.
const underTest = process.env.VITEST !== undefined;

export default defineConfig({
	plugins: [
		...(underTest
			? []
			: [
					paraglideVitePlugin({
						project: './project.inlang',
						outdir: './src/lib/paraglide',
						// S115: the browser's language decides until a person chooses; src/lib/state/locale.svelte.ts then
						// answers getLocale() from the choice kept on the device and the server (Paraglide stores nothing itself).
						strategy: ['preferredLanguage', 'baseLocale'],
						emitTsDeclarations: true
					})
				]),
		sveltekit(),
		...(underTest
			? []
			: [
					SvelteKitPWA({
						strategies: 'generateSW',
						registerType: 'prompt',
						injectRegister: false,
						// SvelteKit builds with relative paths ('./'); the worker must be registered from the root on every route.
						base: '/',
						scope: '/',
						manifest: {
							name: 'MSP Partner Portal',
							short_name: 'MSP Portal',
							description: 'Manage customers, sites and licenses, online or offline.',
							theme_color: '#1f4e79',
							background_color: '#f6f7f9',
							display: 'standalone',
							start_url: '/',
							icons: [
								{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
								{ src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' }
							]
						},
						workbox: {
							globPatterns: ['client/**/*.{js,css,ico,png,svg,webp,woff,woff2,webmanifest}'],
							navigateFallback: '/index.html',
							navigateFallbackDenylist: [/^\/api\//, /^\/sync\//],
							// F1: the first worker takes charge of the open page at once, so a technician who signs in and goes
							// offline without reloading still gets every route's code from the precache. Updates still wait
							// for the person's yes (registerType 'prompt', F6): claiming is not skipping the wait.
							clientsClaim: true
						},
						// SPA: the adapter's index.html fallback is precached (revisioned by _app/version.json) so offline reloads of any route work.
						kit: { spa: true, adapterFallback: 'index.html', includeVersionFile: true }
					})
				])
	],
	test: {
		include: [
			'src/**/*.spec.ts',
			'server/**/*.spec.ts',
			'tests/unit/**/*.test.ts',
			'tests/integration/**/*.test.ts',
			'tests/attacks/**/*.test.ts'
		],
		environment: 'node',
		testTimeout: 20_000,
		hookTimeout: 30_000
	}
});
