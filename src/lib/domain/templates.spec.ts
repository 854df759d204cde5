// P14: placeholder parsing, the issues that refuse a template, and rendering (shared by the mails and the live preview).
import { describe, expect, it } from 'vitest';
import { oneLine, parseTemplate, renderTemplate, templateIssues } from './templates';

describe('notification templates', () => {
	it('P14: placeholders are found with spaces inside the braces; single braces and a lone }} are text', () => {
		expect(parseTemplate('Hi {{ contactName }}, {x} }} {{link}}').parts).toEqual([
			{ text: 'Hi ' },
			{ placeholder: 'contactName' },
			{ text: ', {x} }} ' },
			{ placeholder: 'link' }
		]);
	});

	it('P14: an unknown placeholder is named, with its field; one known to the other kind is unknown here', () => {
		expect(
			templateIssues('userInvitation', { subject: 'Welcome {{tenantNmae}}', body: '{{organization}} {{link}}' })
		).toEqual([
			{ field: 'subject', code: 'unknownPlaceholder', placeholder: 'tenantNmae', index: 8 },
			{ field: 'body', code: 'unknownPlaceholder', placeholder: 'organization', index: 0 }
		]);
		expect(templateIssues('customerInvitation', { subject: '{{organization}}', body: '{{link}}' })).toEqual([]);
	});

	it('P14: a malformed {{ is refused: not closed, closed on another line, empty, or not a name', () => {
		const body = 'a {{link b\n{{ }} c {{two words}} d {{link}} e {{expiresAt\n}}';
		const issues = templateIssues('userInvitation', { subject: 'ok', body });
		expect(issues.map((issue) => [issue.code, issue.placeholder])).toEqual([
			['malformedPlaceholder', '{{link b'],
			['malformedPlaceholder', '{{ }}'],
			['malformedPlaceholder', '{{two words}}'],
			['malformedPlaceholder', '{{expiresAt']
		]);
		// The good placeholder after the broken ones is still found.
		expect(parseTemplate(body).placeholders.map((p) => p.name)).toEqual(['link']);
	});

	it('P14: rendering fills in every value; a placeholder without a value renders as nothing', () => {
		const rendered = renderTemplate(
			{ subject: 'Welcome to {{tenantName}}', body: 'Hello {{contactName}},\r\nopen {{link}} before {{expiresAt}}.' },
			{ tenantName: 'Acme IT', link: 'https://portal.example/x', expiresAt: '8 March 2026' }
		);
		expect(rendered).toEqual({
			subject: 'Welcome to Acme IT',
			text: 'Hello ,\nopen https://portal.example/x before 8 March 2026.'
		});
	});

	it('P14, S108: values are plain text, never read as placeholders; a subject loses every line break', () => {
		const rendered = renderTemplate(
			{ subject: '{{tenantName}} invites {{organization}}', body: '{{organization}}: {{tenantName}}' },
			{ tenantName: 'Evil\r\nBcc: victim@example.com', organization: '{{link}} <b>x</b>' }
		);
		expect(rendered.subject).toBe('Evil Bcc: victim@example.com invites {{link}} <b>x</b>');
		expect(rendered.subject).not.toMatch(/[\r\n]/);
		expect(rendered.text).toBe('{{link}} <b>x</b>: Evil\r\nBcc: victim@example.com');
		expect(oneLine('a\u2028b\tc\u0000')).toBe('a b c');
	});
});
