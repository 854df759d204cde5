// P8: the storage consumption report: customers sorted by the data volume their summaries report (largest first).
import type { CustomerSummary } from '../../schema/customer-summary';
import type { TreeNode } from '../../schema/tree';

export interface StorageRow {
	readonly id: string;
	readonly name: string;
	readonly storageBytes: number;
	/** Share of the total, 0..1 (0 when the total is 0). */
	readonly share: number;
	/** 1-based place in the order. */
	readonly rank: number;
}

export interface StorageReport {
	/** Largest first; equal volumes by name. */
	readonly rows: readonly StorageRow[];
	readonly totalBytes: number;
	/** Customers with data (more than 0 bytes). */
	readonly withData: number;
}

export interface StorageInput {
	readonly nodes: ReadonlyMap<string, TreeNode>;
	readonly summaries: ReadonlyMap<string, CustomerSummary>;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Every customer except unlinked ones (C7); a customer without a summary has 0 bytes. */
export function storageReport({ nodes, summaries }: StorageInput): StorageReport {
	const found: { id: string; name: string; storageBytes: number }[] = [];
	let totalBytes = 0;
	let withData = 0;
	for (const node of nodes.values()) {
		if (node.kind !== 'customer' || node.status === 'unlinked') continue;
		const storageBytes = summaries.get(node.id)?.storageBytes ?? 0;
		totalBytes += storageBytes;
		if (storageBytes > 0) withData++;
		found.push({ id: node.id, name: node.name, storageBytes });
	}
	found.sort(
		(a, b) =>
			b.storageBytes - a.storageBytes || collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	);
	return {
		rows: found.map((row, i) => ({
			...row,
			share: totalBytes > 0 ? row.storageBytes / totalBytes : 0,
			rank: i + 1
		})),
		totalBytes,
		withData
	};
}
