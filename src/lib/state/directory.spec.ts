// The directory state over a real tenant document: bulk tags (P10) and who may set them, the export (P7), the portal's
// refusal reasons (C2), a backup command (P7), the removal preview, and the rows following the document.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '$lib/data/tenant-repository';
import { EMPTY_SUMMARY } from '$lib/schema/customer-summary';
import type { CommandInput } from '$lib/schema/commands';
import { CSV_BOM } from '$lib/data/csv';
import { DirectoryState } from './directory.svelte';
import { TenantDay } from './tenant-day.svelte';
import { TreeState } from './tree.svelte';

const NOW = new Date('2026-11-20T12:00:00Z');

function setup(options: { canEditCustomers?: boolean; canEditTree?: boolean; scoped?: boolean } = {}) {
	const doc = new Y.Doc();
	const repo = new TenantRepository(doc);
	const msp = repo.createNode({ kind: 'msp', name: 'Northwind', parentId: null });
	const muller = repo.createNode({
		kind: 'customer',
		name: 'Müller, Söhne & Co',
		parentId: msp,
		country: 'DE',
		status: 'normal',
		tags: ['gold'],
		billingType: 'monthly',
		consoleUrl: 'https://console.example/m'
	});
	const acme = repo.createNode({
		kind: 'customer',
		name: 'Acme',
		parentId: msp,
		status: 'normal',
		billingType: 'term'
	});
	const gone = repo.createNode({ kind: 'customer', name: 'Gone Ltd', parentId: msp, status: 'unlinked' });
	repo.createNode({ kind: 'site', name: 'Lager', parentId: muller });
	repo.putSummary(muller, {
		...EMPTY_SUMMARY,
		updatedAt: NOW.toISOString(),
		failedJobEnds: [Math.floor(NOW.getTime() / 60_000) - 60],
		openRequests: 2,
		accounts: ['it@mueller.example']
	});
	const submitted: CommandInput[] = [];
	const directory = new DirectoryState({
		repo,
		tree: new TreeState(repo),
		day: new TenantDay(() => NOW),
		commands: {
			submit: (input) => {
				submitted.push(input);
				return `command-${submitted.length}`;
			}
		},
		scoped: options.scoped ?? false,
		canEditTree: options.canEditTree ?? true,
		canEditCustomers: options.canEditCustomers ?? true,
		now: () => NOW
	});
	return { repo, directory, muller, acme, gone, submitted };
}

describe('DirectoryState', () => {
	it('P10: a smart tag is added to and removed from the selected customers; unlinked ones are left as they are', () => {
		const { repo, directory, muller, acme, gone } = setup();
		expect(directory.addTag([muller, acme, gone], ' vip ')).toBe(2);
		expect(repo.node(muller)?.tags).toEqual(['gold', 'vip']);
		expect(repo.node(acme)?.tags).toEqual(['vip']);
		expect(repo.node(gone)?.tags).toBeUndefined();
		// Adding it again changes nothing.
		expect(directory.addTag([muller], 'vip')).toBe(0);
		expect(directory.removeTag([muller, acme], 'vip')).toBe(2);
		expect(repo.node(muller)?.tags).toEqual(['gold']);
		expect(repo.node(acme)?.tags).toBeUndefined();
	});

	it('P10: a bad tag is refused with its reason and changes nothing', () => {
		const { repo, directory, muller } = setup();
		expect(() => directory.addTag([muller], 'a,b')).toThrow(/comma/);
		expect(() => directory.addTag([muller], '   ')).toThrow(/empty/);
		expect(repo.node(muller)?.tags).toEqual(['gold']);
	});

	it('P16, H6: without customers.edit, or for a scoped person, tags and backups are refused', () => {
		for (const options of [{ canEditCustomers: false }, { scoped: true }]) {
			const { repo, directory, muller, submitted } = setup(options);
			expect(directory.canEditCustomers).toBe(false);
			expect(() => directory.addTag([muller], 'vip')).toThrow(/read-only/);
			expect(() => directory.startBackup(muller)).toThrow(/read-only/);
			expect(repo.node(muller)?.tags).toEqual(['gold']);
			expect(submitted).toEqual([]);
		}
		const { directory, muller } = setup({ canEditTree: false });
		expect(() => directory.remove(muller)).toThrow(/read-only/);
	});

	it('P7: start a backup is the server command customer.startBackup for all services', () => {
		const { directory, muller, submitted } = setup();
		expect(directory.startBackup(muller)).toBe('command-1');
		expect(submitted).toEqual([{ type: 'customer.startBackup', customerId: muller, serviceId: null }]);
	});

	it('C2, P7: the portal opens only with partner assistance and a console address; otherwise the reason', () => {
		const { directory, muller, acme, gone } = setup();
		const entry = (id: string) => directory.entry(id)!;
		// Monthly: partner assistance is on by itself.
		expect(directory.launchRefusal(entry(muller))).toBeNull();
		expect(directory.launchRefusal(entry(acme))).toBe('assistanceOff');
		expect(directory.launchRefusal(entry(gone))).toBe('unlinked');
	});

	it("P7: the export holds the customers with the window's figures, quoted where needed, with a dated name", () => {
		const { directory, muller, acme } = setup();
		const csv = directory.csv([directory.entry(muller)!, directory.entry(acme)!]);
		const lines = csv.split('\r\n');
		expect(lines[0]).toBe(
			`${CSV_BOM}Organization,Status,Country,License status,Products,Tags,Groups,Billing type,Failed jobs (Last 7 days),Open requests,Registered accounts`
		);
		expect(lines[1]).toBe('"Müller, Söhne & Co",Normal,DE,No licenses,,gold,,Monthly,1,2,it@mueller.example');
		expect(lines[2]).toBe('Acme,Normal,,No licenses,,,,Term,0,0,');
		expect(directory.csvFileName()).toBe('customers-2026-11-20.csv');
		expect(directory.csvFileName(directory.entry(muller)!)).toBe('muller-sohne-co-2026-11-20.csv');
	});

	it('P7: removing names the customer and its sites; the rows follow the document', () => {
		const { directory, muller, acme } = setup();
		expect(directory.removalPreview(muller)).toEqual({ name: 'Müller, Söhne & Co', sites: 1, pools: 0 });
		expect(directory.total).toBe(3);
		directory.toggleSelected(acme);
		directory.remove(acme);
		expect(directory.total).toBe(2);
		expect(directory.selected.has(acme)).toBe(false);
		expect(directory.removalPreview(acme)).toBeNull();
	});

	it('C4, P2: selection of every shown customer follows the search', () => {
		const { directory, muller } = setup();
		directory.query = 'muller';
		expect(directory.shown).toBe(1);
		directory.toggleAllShown();
		expect([...directory.selected]).toEqual([muller]);
		expect(directory.allShownSelected).toBe(true);
		directory.query = '';
		expect(directory.shown).toBe(3);
		expect(directory.allShownSelected).toBe(false);
		directory.toggleAllShown();
		expect(directory.selected.size).toBe(3);
		directory.toggleAllShown();
		expect(directory.selected.size).toBe(0);
	});
});
