// One page script for a benchmark in chromium: `bench/support/<entry>` bundled with esbuild into an IIFE.
import { join } from 'node:path';
import { build } from 'esbuild';

export async function bundleEntry(entry: string): Promise<string> {
	const result = await build({
		entryPoints: [join('bench', 'support', entry)],
		bundle: true,
		format: 'iife',
		platform: 'browser',
		target: 'es2022',
		write: false,
		logLevel: 'silent'
	});
	return result.outputFiles[0]!.text;
}
