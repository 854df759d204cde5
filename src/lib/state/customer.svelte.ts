// One customer's working data (contacts) as the customer page reads it, from its live `customer:<id>` replica.
import { createSubscriber } from 'svelte/reactivity';
import type { CustomerRepository } from '$lib/data/customer-repository';
import type { Contact, ContactInput } from '$lib/schema/customer';

export class CustomerState {
	readonly #repo: CustomerRepository;
	#subscribe = createSubscriber((update) => this.#repo.observe(update));

	constructor(repo: CustomerRepository) {
		this.#repo = repo;
	}

	get contacts(): Contact[] {
		this.#subscribe();
		return this.#repo.contacts();
	}

	addContact(input: ContactInput): string {
		return this.#repo.addContact(input);
	}

	updateContact(id: string, input: ContactInput): void {
		this.#repo.updateContact(id, input);
	}

	removeContact(id: string): void {
		this.#repo.removeContact(id);
	}
}
