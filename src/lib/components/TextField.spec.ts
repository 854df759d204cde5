// Server-renders TextField to check its accessibility wiring: label, aria-invalid, and aria-describedby to hint and error.
import { describe, expect, it } from 'vitest';
import type { ComponentProps } from 'svelte';
import { render } from 'svelte/server';
import TextField from './TextField.svelte';

function html(props: ComponentProps<typeof TextField>): string {
	return render(TextField, { props }).body;
}

describe('TextField', () => {
	it('labels the input and marks nothing invalid while there is no error', () => {
		const out = html({ id: 'email', label: 'Email', type: 'email', value: 'a@b.example' });
		expect(out).toMatch(/<label for="email">Email<\/label>/);
		expect(out).toMatch(/<input[^>]*id="email"[^>]*type="email"|<input[^>]*type="email"[^>]*id="email"/);
		expect(out).not.toContain('aria-invalid');
		expect(out).not.toContain('aria-describedby');
		expect(out).not.toContain('role="alert"');
	});

	it('ties the hint to the input even without an error', () => {
		const out = html({ id: 'password', label: 'Password', hint: 'At least 10 characters.' });
		expect(out).toContain('aria-describedby="password-hint"');
		expect(out).toMatch(/<span id="password-hint" class="hint[^"]*">At least 10 characters\.<\/span>/);
	});

	it('marks the input invalid and describes it by hint and error, the error announced as an alert', () => {
		const out = html({ id: 'password', label: 'Password', hint: 'At least 10 characters.', error: 'Too short.' });
		expect(out).toContain('aria-invalid="true"');
		expect(out).toContain('aria-describedby="password-hint password-error"');
		expect(out).toMatch(/<span id="password-error" class="error[^"]*" role="alert">Too short\.<\/span>/);
	});

	it('renders a textarea with the same wiring when rows are given', () => {
		const out = html({ id: 'p-address', label: 'Address', rows: 2, error: 'Too long.' });
		expect(out).toMatch(/<textarea[^>]*rows="2"/);
		expect(out).toContain('aria-describedby="p-address-error"');
		expect(out).not.toContain('<input');
	});
});
