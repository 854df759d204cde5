// H3: the status of a customer and how it is shown (icon name and message key; the text lives in messages/).
import type { CustomerStatus } from '../schema/tree';

export interface StatusPresentation {
	/** Name of the icon in $lib/components/icons. */
	readonly icon: 'status-not-set-up' | 'status-normal' | 'status-unlinked';
	/** Tone used for colour; never the only carrier of meaning (the label is always shown too). */
	readonly tone: 'attention' | 'ok' | 'muted';
}

export const CUSTOMER_STATUS_PRESENTATION: Readonly<Record<CustomerStatus, StatusPresentation>> = {
	notSetUp: { icon: 'status-not-set-up', tone: 'attention' },
	normal: { icon: 'status-normal', tone: 'ok' },
	unlinked: { icon: 'status-unlinked', tone: 'muted' }
};

/** H3: an unlinked customer is kept for history and is read-only. */
export function isCustomerEditable(status: CustomerStatus | undefined): boolean {
	return status !== 'unlinked';
}
