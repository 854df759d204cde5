// P8: the customer operations report: every customer summarized by service (SERVICE_KINDS), with each service's
// customers for the drill-down. Computed from the tree nodes and the server's summaries in the local replica.
import { countBetween } from '../activity';
import { SERVICE_KINDS, type ServiceKind } from '../../schema/customer';
import type { CustomerSummary } from '../../schema/customer-summary';
import type { TreeNode } from '../../schema/tree';

/** The instants the failed jobs are counted between: [from, to). */
export interface ReportWindow {
	readonly from: Date;
	readonly to: Date;
}

export interface OperationsCustomer {
	readonly id: string;
	readonly name: string;
	readonly services: readonly ServiceKind[];
	/** Failed jobs that ended in the window (all the customer's services: a job names its service in the sender's words). */
	readonly failedJobs: number;
	readonly openRequests: number;
	readonly storageBytes: number;
}

export interface ServiceFigures {
	/** A service kind, or null for the customers without any active service. */
	readonly service: ServiceKind | null;
	/** In the tree's order: `customersByName` sorts the list a person opens (sorting every list would cost more than
	 * the figures themselves). */
	readonly customers: readonly OperationsCustomer[];
	readonly failedJobs: number;
	readonly openRequests: number;
	readonly storageBytes: number;
}

export interface OperationsReport {
	/** One entry per SERVICE_KINDS, in that order (services no customer has included, with zeros). */
	readonly services: readonly ServiceFigures[];
	/** Customers without an active service. */
	readonly withoutService: ServiceFigures;
	/** Over distinct customers (a customer with two services counts once). */
	readonly totals: Omit<ServiceFigures, 'service' | 'customers'> & { readonly customers: number };
}

export interface OperationsInput {
	readonly nodes: ReadonlyMap<string, TreeNode>;
	readonly summaries: ReadonlyMap<string, CustomerSummary>;
	readonly window: ReportWindow;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const byName = (a: { name: string; id: string }, b: { name: string; id: string }): number =>
	collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A service's customers by name (then id), for the drill-down's table. */
export function customersByName(customers: readonly OperationsCustomer[]): OperationsCustomer[] {
	return [...customers].sort(byName);
}

function figures(service: ServiceKind | null, customers: OperationsCustomer[]): ServiceFigures {
	let failedJobs = 0;
	let openRequests = 0;
	let storageBytes = 0;
	for (const c of customers) {
		failedJobs += c.failedJobs;
		openRequests += c.openRequests;
		storageBytes += c.storageBytes;
	}
	return { service, customers, failedJobs, openRequests, storageBytes };
}

/** Customers are the customer nodes except unlinked ones (C7, kept for history only); a missing summary counts as zeros. */
export function operationsReport({ nodes, summaries, window }: OperationsInput): OperationsReport {
	const customers: OperationsCustomer[] = [];
	for (const node of nodes.values()) {
		if (node.kind !== 'customer' || node.status === 'unlinked') continue;
		const summary = summaries.get(node.id);
		customers.push({
			id: node.id,
			name: node.name,
			services: summary?.services ?? [],
			failedJobs: summary ? countBetween(summary.failedJobEnds, window.from, window.to) : 0,
			openRequests: summary?.openRequests ?? 0,
			storageBytes: summary?.storageBytes ?? 0
		});
	}
	const perService = new Map<ServiceKind, OperationsCustomer[]>(SERVICE_KINDS.map((kind) => [kind, []]));
	const without: OperationsCustomer[] = [];
	for (const customer of customers) {
		if (customer.services.length === 0) without.push(customer);
		const services = customer.services;
		// Each kind once, without a Set per customer (the server writes them once each anyway).
		for (let i = 0; i < services.length; i++)
			if (services.indexOf(services[i]!) === i) perService.get(services[i]!)?.push(customer);
	}
	const all = figures(null, customers);
	return {
		services: SERVICE_KINDS.map((kind) => figures(kind, perService.get(kind) ?? [])),
		withoutService: figures(null, without),
		totals: {
			customers: customers.length,
			failedJobs: all.failedJobs,
			openRequests: all.openRequests,
			storageBytes: all.storageBytes
		}
	};
}
