// P6: the invite-customer wizard's state: its steps, the fields, the refusals of P6/C6 at each field (the domain's rules on
// the tenant's day), and "Start": the customer node appears at once in the tenant document, the invitation is a server
// command queued in the outbox (sent when online).
import {
	contactIssues,
	latestExpiry,
	licenseIssues,
	organizationIssues,
	serviceIssues,
	type InvitationField,
	type InvitationIssueCode
} from '$lib/domain/invitation';
import {
	countryCodeSchema,
	smartTagSchema,
	MAX_TAGS_PER_CUSTOMER,
	type BillingType,
	type TreeNode
} from '$lib/schema/tree';
import type { ServiceKind } from '$lib/schema/customer';
import { fmt } from './locale.svelte';
import type { Locale } from '$lib/schema/locale';
import { uiLocale } from './templates.svelte';
import type { CommandsState } from './commands.svelte';
import type { TreeState } from './tree.svelte';

export const INVITE_STEPS = ['organization', 'contact', 'services', 'license', 'review'] as const;
export type InviteStep = (typeof INVITE_STEPS)[number];

/** Fields beyond P6's own (country, tags, parent) that the wizard also checks. */
export type WizardField = InvitationField | 'country' | 'tags' | 'parent';
export type WizardIssueCode = InvitationIssueCode | 'countryInvalid' | 'tagInvalid' | 'tooManyTags' | 'parentRequired';

/** H2: the kinds a customer may be placed under. */
const CUSTOMER_PARENTS: readonly string[] = ['msp', 'managedMsp', 'mspManager'];

/** P10: tags typed as a comma-separated list, each once, sorted (as the node stores them). */
export function parseTags(text: string): { tags: string[]; ok: boolean } {
	const parts = text
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '');
	const tags = parts.filter((part, index) => parts.indexOf(part) === index).sort((a, b) => a.localeCompare(b));
	const ok = tags.every((tag) => smartTagSchema.safeParse(tag).success);
	return { tags, ok };
}

export class InviteWizardState {
	readonly #tree: TreeState;
	readonly #commands: CommandsState | null;
	readonly #today: () => string;
	readonly #monthlyProgram: () => boolean;

	step = $state<InviteStep>('organization');
	organization = $state('');
	country = $state('');
	tagsText = $state('');
	parentId = $state<string | null>(null);
	contactName = $state('');
	contactEmail = $state('');
	contactPhone = $state('');
	/** P14: the admin contact's language: the invitation mail's template (default: the inviter's own UI language). */
	locale = $state<Locale>(uiLocale());
	services = $state<ServiceKind[]>([]);
	billingType = $state<BillingType>('trial');
	product = $state('');
	units = $state('5');
	expiresOn = $state('');
	#errors = $state<Partial<Record<WizardField, WizardIssueCode>>>({});
	#startError = $state<unknown>(null);

	constructor(options: {
		tree: TreeState;
		commands: CommandsState | null;
		today: () => string;
		monthlyBillingProgram: () => boolean;
		parentId: string | null;
	}) {
		this.#tree = options.tree;
		this.#commands = options.commands;
		this.#today = options.today;
		this.#monthlyProgram = options.monthlyBillingProgram;
		// The tenant's own MSP node by default (where new customers of this tenant belong), else the first by path.
		const own = this.parents.find((parent) => this.#tree.node(parent.id)?.name === this.#tree.tenantName);
		this.parentId = options.parentId ?? own?.id ?? this.parents[0]?.id ?? null;
		this.expiresOn = latestExpiry(this.#today());
	}

	/** H2: where the new customer can go (MSPs, managed MSPs, MSP managers), by path. */
	get parents(): { id: string; path: string }[] {
		return [...this.#tree.view.nodes.values()]
			.filter((node: TreeNode) => CUSTOMER_PARENTS.includes(node.kind))
			.map((node) => ({ id: node.id, path: this.#tree.pathOf(node.id) }))
			.sort((a, b) => fmt().compare(a.path, b.path));
	}

	get index(): number {
		return INVITE_STEPS.indexOf(this.step);
	}

	get errors(): Partial<Record<WizardField, WizardIssueCode>> {
		return this.#errors;
	}

	/** Why "Start" failed (a DomainError or other error: the screen translates it), or null. */
	get startError(): unknown {
		return this.#startError;
	}

	/** The first booking date: today in the tenant's time zone. */
	get bookingDate(): string {
		return this.#today();
	}

	get latestExpiry(): string {
		return latestExpiry(this.#today());
	}

	get monthlyAllowed(): boolean {
		return this.#monthlyProgram();
	}

	get tags(): string[] {
		return parseTags(this.tagsText).tags;
	}

	get unitsNumber(): number {
		return /^\d+$/.test(this.units.trim()) ? Number(this.units.trim()) : Number.NaN;
	}

	get license() {
		return {
			billingType: this.billingType,
			product: this.product.trim(),
			units: this.unitsNumber,
			expiresOn: this.expiresOn
		};
	}

	toggleService(kind: ServiceKind, on: boolean): void {
		const rest = this.services.filter((service) => service !== kind);
		this.services = on ? [...rest, kind] : rest;
	}

	/** The refusals of one step, at their fields. */
	issuesOf(step: InviteStep): { field: WizardField; code: WizardIssueCode }[] {
		switch (step) {
			case 'organization': {
				const issues: { field: WizardField; code: WizardIssueCode }[] = organizationIssues(this);
				if (this.country.trim() !== '' && !countryCodeSchema.safeParse(this.country.trim().toUpperCase()).success)
					issues.push({ field: 'country', code: 'countryInvalid' });
				const tags = parseTags(this.tagsText);
				if (!tags.ok) issues.push({ field: 'tags', code: 'tagInvalid' });
				else if (tags.tags.length > MAX_TAGS_PER_CUSTOMER) issues.push({ field: 'tags', code: 'tooManyTags' });
				if (this.parentId === null) issues.push({ field: 'parent', code: 'parentRequired' });
				return issues;
			}
			case 'contact':
				return contactIssues(this);
			case 'services':
				return serviceIssues(this.services);
			case 'license':
				return licenseIssues(this.license, {
					bookingDate: this.#today(),
					monthlyBillingProgram: this.#monthlyProgram()
				});
			case 'review':
				return INVITE_STEPS.filter((each) => each !== 'review').flatMap((each) => this.issuesOf(each));
		}
	}

	/** Checks the step; shows its refusals at the fields, or moves on. Answers whether it moved. */
	next(): boolean {
		const issues = this.issuesOf(this.step);
		this.#errors = Object.fromEntries(issues.map((issue) => [issue.field, issue.code]));
		if (issues.length > 0) return false;
		const following = INVITE_STEPS[this.index + 1];
		if (following) this.step = following;
		return true;
	}

	back(): void {
		const previous = INVITE_STEPS[this.index - 1];
		this.#errors = {};
		if (previous) this.step = previous;
	}

	/** Goes back to a step from the review (to change something). */
	goTo(step: InviteStep): void {
		this.#errors = {};
		this.step = step;
	}

	/**
	 * P6 "start": everything checked again, then the customer node is made (origin partner, not set up, with its billing type,
	 * tags and admin contact) and the invitation queued. Answers the new customer's id, or null (the refusal is shown).
	 */
	start(): string | null {
		this.#startError = null;
		const issues = this.issuesOf('review');
		if (issues.length > 0) {
			this.#errors = Object.fromEntries(issues.map((issue) => [issue.field, issue.code]));
			const first = INVITE_STEPS.find((step) => this.issuesOf(step).length > 0);
			if (first) this.step = first;
			return null;
		}
		if (this.#commands === null || this.parentId === null) return null;
		try {
			const id = this.#tree.create({
				kind: 'customer',
				name: this.organization.trim(),
				parentId: this.parentId,
				country: this.country.trim() === '' ? null : this.country.trim().toUpperCase(),
				status: 'notSetUp',
				origin: 'partner',
				billingType: this.billingType,
				contact: { name: this.contactName.trim(), email: this.contactEmail.trim(), phone: this.contactPhone.trim() },
				...(this.tags.length > 0 ? { tags: this.tags } : {})
			});
			this.#commands.submit({
				type: 'customer.invite',
				customerId: id,
				email: this.contactEmail.trim(),
				contactName: this.contactName.trim(),
				locale: this.locale,
				services: [...this.services],
				license: { ...this.license, units: this.unitsNumber }
			});
			return id;
		} catch (error) {
			this.#startError = error;
			return null;
		}
	}
}
