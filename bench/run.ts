// `npm run bench`: every benchmark prints ours against a baseline measured in the same run.
// `npm run bench -- relay ui` runs only the named sections (the keys of SECTIONS below); all of them by default.
import { printResults, type BenchResult } from './measure';
import { benchAppSize } from './app-size';
import { benchColdOpen } from './cold-open';
import { benchDirectoryScreen } from './directory-screen';
import { benchIngest } from './ingest';
import { benchLicenseImport } from './license-import';
import { benchLicensesScreen } from './licenses-screen';
import { benchRelay, benchRelayFanOut } from './relay';
import { benchLocalStore } from './local-store';
import { benchReports } from './reports';
import { benchTenantDocLayout } from './tenant-doc-layout';
import { benchTreeScreen } from './tree-screen';
import { benchTreeView } from './tree-view';

const SECTIONS: Record<string, () => Promise<BenchResult[]> | BenchResult[]> = {
	'app-size': () => benchAppSize(),
	'cold-open': () => benchColdOpen(),
	data: () => [...benchTenantDocLayout(), ...benchTreeView()],
	ingest: () => benchIngest(),
	directory: () => benchDirectoryScreen(),
	licenses: () => benchLicenseImport(),
	'licenses-ui': () => benchLicensesScreen(),
	'local-store': () => benchLocalStore(),
	relay: () => benchRelay(),
	'relay-fanout': () => benchRelayFanOut(),
	reports: () => benchReports(),
	ui: () => benchTreeScreen()
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in SECTIONS));
if (unknown.length > 0) {
	process.stderr.write(`unknown bench section(s): ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}\n`);
	process.exit(2);
}

const results: BenchResult[] = [];
for (const name of asked.length > 0 ? asked : Object.keys(SECTIONS)) {
	const start = performance.now();
	try {
		results.push(...(await SECTIONS[name]!()));
		process.stderr.write(`bench ${name}: ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
	} catch (error) {
		// The other sections still run and print; the command fails at the end.
		process.stderr.write(
			`bench ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
		);
		process.exitCode = 1;
	}
}
printResults(results);
