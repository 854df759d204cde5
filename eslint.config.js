// Lint: typescript-eslint with type information (no-floating-promises) and eslint-plugin-svelte; zero warnings.
import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

/** Packages only the data layer (and the server) may touch. */
const CRDT = ['yjs', 'y-indexeddb', 'y-websocket', 'y-protocols', 'y-protocols/*', 'lib0', 'lib0/*'];
/** Browser-only sync packages: only `src/lib/data/device` opens sockets and IndexedDB. */
const BROWSER_SYNC = ['y-indexeddb', 'y-websocket'];
/** The browser-only part of the data layer, through the alias or a relative path. */
const DEVICE = ['$lib/data/device', '$lib/data/device/**', '**/data/device/**', './device/**', '../device/**'];
const SVELTE = ['svelte', 'svelte/*', '$app/*', '**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'];

/** Import patterns of `src/lib/<folder>`, through the $lib alias or a relative path. */
function lib(...folders) {
	return folders.flatMap((folder) => [
		`$lib/${folder}`,
		`$lib/${folder}/**`,
		`**/lib/${folder}/**`,
		`../${folder}/**`,
		`../../${folder}/**`
	]);
}

function layers(rules) {
	return rules.map(({ files, ignores = [], what, forbid }) => ({
		files,
		ignores: ['**/*.spec.ts', ...ignores],
		rules: {
			'no-restricted-imports': [
				'error',
				{ patterns: [{ group: forbid, message: `Layer rule: ${what} (docs/architecture.md).` }] }
			]
		}
	}));
}

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'src/lib/paraglide/',
			'test-results/',
			'playwright-report/',
			'data/',
			'data-demo/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: {
			globals: { ...globals.browser, ...globals.node },
			parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			'no-undef': 'off'
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig }
		}
	},
	// The layer table of docs/architecture.md, enforced: each folder imports only the layers below it.
	...layers([
		{
			files: ['src/lib/schema/**'],
			what: 'schemas import zod only',
			forbid: [...CRDT, ...SVELTE, ...lib('domain', 'data', 'state', 'components', 'api', 'paraglide')]
		},
		{
			files: ['src/lib/domain/**'],
			what: 'domain rules are pure: schema only',
			forbid: [...CRDT, ...SVELTE, ...lib('data', 'state', 'components', 'api', 'paraglide')]
		},
		{
			files: ['src/lib/api/**'],
			what: 'the HTTP client imports schema only',
			forbid: [...CRDT, ...SVELTE, ...lib('domain', 'data', 'state', 'components', 'paraglide')]
		},
		{
			files: ['src/lib/data/**'],
			ignores: ['src/lib/data/device/**'],
			what: 'the shared data layer (repositories, protocol) runs on the server too: no browser-only code',
			forbid: [...SVELTE, ...BROWSER_SYNC, ...lib('state', 'components', 'api', 'paraglide'), ...DEVICE]
		},
		{
			files: ['src/lib/data/device/**'],
			what: 'the device layer (replicas, IndexedDB, sockets) imports the shared data layer, schema and domain',
			forbid: [...SVELTE, ...lib('state', 'components', 'api', 'paraglide')]
		},
		{
			files: ['src/lib/state/**'],
			what: 'state classes import data, api, domain and schema, never UI',
			forbid: lib('components')
		},
		{
			files: ['src/lib/components/**', 'src/routes/**'],
			what: 'screens read state, domain and schema; Yjs, the data layer and the HTTP client stay behind state',
			forbid: [...CRDT, ...lib('data', 'api')]
		},
		{
			files: ['server/**'],
			what: 'the server shares schema, domain and the plain data layer, nothing of Svelte',
			forbid: [
				...SVELTE,
				...BROWSER_SYNC,
				...DEVICE,
				'**/src/lib/state/**',
				'**/src/lib/components/**',
				'**/src/lib/paraglide/**'
			]
		}
	]),
	{
		files: ['*.js', '*.config.ts'],
		...ts.configs.disableTypeChecked
	}
);
