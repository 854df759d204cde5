// How job and request times read on screen: an instant in the tenant's time zone and formats (P9), in the UI's language.
import { fmt } from '$lib/state/locale.svelte';

/** An instant (ISO 8601) as the tenant reads it: its date and time in the tenant's zone. Reactive in a template. */
export function formatInstant(iso: string): string {
	return fmt().dateTime(iso);
}
