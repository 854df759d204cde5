// Server-renders DialogActions: the confirm button submits the form unless it has its own handler, and is absent without a label.
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import DialogActions from './DialogActions.svelte';

const noop = (): void => {};

describe('DialogActions', () => {
	it('makes the confirm button the submit button of the form around it', () => {
		const out = render(DialogActions, { props: { oncancel: noop, confirmLabel: 'Save' } }).body;
		expect(out).toMatch(/<button type="button" class="btn[^"]*">Cancel<\/button>/);
		expect(out).toMatch(/<button type="submit" class="btn btn-primary[^"]*"[^>]*>Save<\/button>/);
	});

	it('gives a danger action its own click handler and test id instead of submitting', () => {
		const out = render(DialogActions, {
			props: { oncancel: noop, confirmLabel: 'Delete', onconfirm: noop, danger: true, confirmTestid: 'confirm-delete' }
		}).body;
		expect(out).toMatch(
			/<button type="button" class="btn btn-danger[^"]*" data-testid="confirm-delete">Delete<\/button>/
		);
		expect(out).not.toContain('type="submit"');
	});

	it('shows only the cancel button when there is no action', () => {
		const out = render(DialogActions, { props: { oncancel: noop, cancelLabel: 'Close' } }).body;
		expect(out.match(/<button/g)).toHaveLength(1);
		expect(out).toContain('>Close</button>');
	});
});
