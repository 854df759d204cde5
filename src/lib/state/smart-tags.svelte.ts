// P10: the smart tags screen's state over the tenant replica: every tag in use (and every coloured one) with how many
// customers carry it and its colour, and the changes across customers (rename, merge, colour, delete). Works offline:
// the tags live in the tenant document.
import { createSubscriber } from 'svelte/reactivity';
import type { TenantRepository } from '$lib/data/tenant-repository';
import type { SmartTagColour } from '$lib/schema/smart-tags';
import { fmt } from './locale.svelte';
import type { TreeState } from './tree.svelte';

export interface SmartTagEntry {
	readonly name: string;
	/** Customers carrying it (unlinked ones included: they keep their tags, C7). */
	readonly count: number;
	readonly colour: SmartTagColour | null;
}

export class SmartTagsState {
	readonly #repo: TenantRepository;
	readonly #tree: TreeState;
	readonly #canEdit: boolean;
	#colours: Map<string, SmartTagColour> | null = null;
	#subscribe = createSubscriber((update) =>
		this.#repo.observe(() => {
			this.#colours = null;
			update();
		})
	);

	constructor(options: { repo: TenantRepository; tree: TreeState; canEdit: boolean }) {
		this.#repo = options.repo;
		this.#tree = options.tree;
		this.#canEdit = options.canEdit;
	}

	/** customers.edit on the whole tenant (the relay checks every change anyway, S106). */
	get canEdit(): boolean {
		return this.#canEdit;
	}

	/** The registry's colours, read again after each change of the document. */
	get colours(): ReadonlyMap<string, SmartTagColour> {
		this.#subscribe();
		if (!this.#colours || !$effect.tracking()) this.#colours = this.#repo.smartTagColours();
		return this.#colours;
	}

	colourOf(tag: string): SmartTagColour | null {
		return this.colours.get(tag) ?? null;
	}

	/** Every tag a customer carries or the registry colours, by name in the UI's language. */
	get entries(): SmartTagEntry[] {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local tally, returned as an array
		const counts = new Map<string, number>();
		for (const node of this.#tree.view.nodes.values())
			if (node.kind === 'customer') for (const tag of node.tags ?? []) counts.set(tag, (counts.get(tag) ?? 0) + 1);
		const colours = this.colours;
		for (const tag of colours.keys()) if (!counts.has(tag)) counts.set(tag, 0);
		const collator = fmt().collator;
		return [...counts]
			.map(([name, count]) => ({ name, count, colour: colours.get(name) ?? null }))
			.sort((a, b) => collator.compare(a.name, b.name) || a.name.localeCompare(b.name));
	}

	/** Renames a tag on every customer (merging when `to` is in use already); answers how many customers changed. */
	rename(from: string, to: string): number {
		return this.#repo.renameSmartTag(from, to);
	}

	setColour(tag: string, colour: SmartTagColour | null): void {
		this.#repo.setSmartTagColour(tag, colour);
	}

	remove(tag: string): number {
		return this.#repo.deleteSmartTag(tag);
	}
}
