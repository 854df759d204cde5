// One customer's working data (contacts; services, jobs, service requests and backup requests) as the customer page reads
// it, from its live `customer:<id>` replica.
import { createSubscriber } from 'svelte/reactivity';
import type { CustomerRepository } from '$lib/data/customer-repository';
import type {
	BackupRequest,
	Contact,
	ContactInput,
	Job,
	JobDay,
	RequestNote,
	RequestStatus,
	Service,
	ServiceKind,
	ServiceRequest,
	ServiceRequestInput
} from '$lib/schema/customer';

export class CustomerState {
	readonly #repo: CustomerRepository;
	#subscribe = createSubscriber((update) => this.#repo.observe(update));

	constructor(repo: CustomerRepository) {
		this.#repo = repo;
	}

	/** True when this replica refuses writes (the person may only read the customer's document). */
	get readOnly(): boolean {
		return this.#repo.readOnly;
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

	// ---- Services, jobs, backups (P4, P7) ----

	get services(): Service[] {
		this.#subscribe();
		return this.#repo.services();
	}

	get jobs(): Job[] {
		this.#subscribe();
		return this.#repo.jobs();
	}

	get jobDays(): JobDay[] {
		this.#subscribe();
		return this.#repo.jobDays();
	}

	get backupRequests(): BackupRequest[] {
		this.#subscribe();
		return this.#repo.backupRequests();
	}

	addService(kind: ServiceKind): string {
		return this.#repo.addService(kind);
	}

	setServiceStatus(id: string, status: Service['status']): void {
		this.#repo.setServiceStatus(id, status);
	}

	removeService(id: string): void {
		this.#repo.removeService(id);
	}

	// ---- Service requests (P5, F2) ----

	get serviceRequests(): ServiceRequest[] {
		this.#subscribe();
		return this.#repo.serviceRequests();
	}

	serviceRequest(id: string): ServiceRequest | null {
		this.#subscribe();
		return this.#repo.serviceRequest(id);
	}

	requestNotes(requestId: string): RequestNote[] {
		this.#subscribe();
		return this.#repo.requestNotes(requestId);
	}

	createServiceRequest(input: ServiceRequestInput, source: string): string {
		return this.#repo.createServiceRequest(input, source);
	}

	setRequestStatus(id: string, status: RequestStatus): void {
		this.#repo.setRequestStatus(id, status);
	}

	updateServiceRequest(id: string, input: ServiceRequestInput): void {
		this.#repo.updateServiceRequest(id, input);
	}

	addRequestNote(requestId: string, text: string, author: string): string {
		return this.#repo.addRequestNote(requestId, text, author);
	}
}
