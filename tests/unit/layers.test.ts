// The layer table of docs/architecture.md is enforced by lint: a wrong import fails `npm test` (here, and in `npm run lint`).
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The files below do not exist, so type-aware parsing (which needs them in a tsconfig) is off; the layer rules do not need it.
const eslint = new ESLint({
	cwd: process.cwd(),
	overrideConfig: {
		languageOptions: { parserOptions: { projectService: false } },
		rules: { '@typescript-eslint/no-floating-promises': 'off' }
	}
});

/** The layer-rule messages ESLint reports for `code` as if it were the file at `path`. */
async function layerErrors(path: string, code: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, { filePath: path });
	return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules (docs/architecture.md)', () => {
	it.each([
		[
			'server/src/relay/wrong.ts',
			"import { openReplica } from '../../../src/lib/data/device/replica';\nvoid openReplica;\n"
		],
		['server/src/relay/wrong.ts', "import { WebsocketProvider } from 'y-websocket';\nvoid WebsocketProvider;\n"],
		['src/lib/data/wrong.ts', "import { openReplica } from './device/replica';\nvoid openReplica;\n"],
		[
			'src/lib/data/licenses/wrong.ts',
			"import { IndexeddbPersistence } from 'y-indexeddb';\nvoid IndexeddbPersistence;\n"
		],
		['src/lib/data/device/wrong.ts', "import { session } from '$lib/state/session.svelte';\nvoid session;\n"],
		['src/routes/wrong.ts', "import * as Y from 'yjs';\nvoid Y;\n"],
		[
			'src/lib/domain/wrong.ts',
			"import { TenantRepository } from '../data/tenant-repository';\nvoid TenantRepository;\n"
		]
	])('%s may not import that: %s', async (path, code) => {
		const errors = await layerErrors(path, code);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatch(/Layer rule: /);
	});

	it.each([
		['server/src/relay/right.ts', "import { CLOSE } from '../../../src/lib/data/sync/protocol';\nvoid CLOSE;\n"],
		['src/lib/data/device/right.ts', "import { CLOSE } from '../sync/protocol';\nvoid CLOSE;\n"],
		['src/lib/state/right.ts', "import { openReplica } from '$lib/data/device/replica';\nvoid openReplica;\n"]
	])('%s may import that: %s', async (path, code) => {
		expect(await layerErrors(path, code)).toEqual([]);
	});
});
