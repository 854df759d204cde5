// P14: a notification template's placeholders: parsing, the issues that refuse a template, and rendering. The same code
// renders the server's mails and the settings screen's live preview.
import { TEMPLATE_PLACEHOLDERS, type TemplateKind } from '../schema/templates';

/** A piece of a parsed template: literal text, or a `{{name}}` placeholder. */
export type TemplatePart = { readonly text: string } | { readonly placeholder: string };

export type TemplateIssueCode = 'unknownPlaceholder' | 'malformedPlaceholder';

export interface TemplateIssue {
	readonly field: 'subject' | 'body';
	readonly code: TemplateIssueCode;
	/** What stood between the braces (an unknown name), or the text from the stray `{{` on (a malformed one, shortened). */
	readonly placeholder: string;
	/** Where it starts in the field (0-based characters). */
	readonly index: number;
}

const NAME = /^[A-Za-z][A-Za-z0-9]*$/;
/** How much of a malformed placeholder an issue quotes. */
const QUOTE = 24;

/**
 * Splits `text` into literal text and `{{name}}` placeholders (spaces inside the braces allowed). Every `{{` opens a
 * placeholder: one without a closing `}}`, or with something other than a name inside, is malformed. A lone `}}` or
 * single braces are text.
 */
export function parseTemplate(text: string): {
	parts: TemplatePart[];
	malformed: { index: number; text: string }[];
	placeholders: { index: number; name: string }[];
} {
	const parts: TemplatePart[] = [];
	const malformed: { index: number; text: string }[] = [];
	const placeholders: { index: number; name: string }[] = [];
	let at = 0;
	while (at < text.length) {
		const open = text.indexOf('{{', at);
		if (open < 0) {
			parts.push({ text: text.slice(at) });
			break;
		}
		if (open > at) parts.push({ text: text.slice(at, open) });
		const close = text.indexOf('}}', open + 2);
		const nextOpen = text.indexOf('{{', open + 2);
		const lineEnd = text.indexOf('\n', open);
		const inner = close < 0 ? null : text.slice(open + 2, close);
		const broken =
			inner === null ||
			(nextOpen >= 0 && nextOpen < close) ||
			(lineEnd >= 0 && lineEnd < close) ||
			!NAME.test(inner.trim());
		if (broken) {
			const stops = [lineEnd, nextOpen, text.length].filter((stop) => stop > open);
			const closedHere = close >= 0 && close < Math.min(...stops);
			const end = Math.min(closedHere ? close + 2 : Math.min(...stops), open + QUOTE);
			const quoted = text.slice(open, end);
			malformed.push({ index: open, text: quoted });
			parts.push({ text: '{{' });
			// Go on after the stray braces, so that a later good placeholder is still found.
			at = open + 2;
			continue;
		}
		const name = (inner ?? '').trim();
		placeholders.push({ index: open, name });
		parts.push({ placeholder: name });
		at = close + 2;
	}
	return { parts, malformed, placeholders };
}

/** The placeholders a template of `kind` may name. */
export function placeholdersOf(kind: TemplateKind): readonly string[] {
	return TEMPLATE_PLACEHOLDERS[kind];
}

/** P14: why a template cannot be stored: each malformed `{{` and each placeholder its kind does not know, in order. */
export function templateIssues(kind: TemplateKind, template: { subject: string; body: string }): TemplateIssue[] {
	const known = new Set<string>(placeholdersOf(kind));
	const issues: TemplateIssue[] = [];
	for (const field of ['subject', 'body'] as const) {
		const { malformed, placeholders } = parseTemplate(template[field]);
		const found: TemplateIssue[] = [
			...malformed.map((bad) => ({
				field,
				code: 'malformedPlaceholder' as const,
				placeholder: bad.text,
				index: bad.index
			})),
			...placeholders
				.filter((placeholder) => !known.has(placeholder.name))
				.map((placeholder) => ({
					field,
					code: 'unknownPlaceholder' as const,
					placeholder: placeholder.name,
					index: placeholder.index
				}))
		];
		issues.push(...found.sort((a, b) => a.index - b.index));
	}
	return issues;
}

/** Plain-text values for the placeholders; one not given renders as nothing (the template was checked when stored). */
export type TemplateValues = Readonly<Partial<Record<string, string>>>;

/** Line breaks and other control characters out of a subject: a value must never start a mail header of its own. */
export function oneLine(text: string): string {
	// eslint-disable-next-line no-control-regex -- exactly the control characters are what must go
	return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

/** Fills in `text`'s placeholders; a malformed `{{` stays as it was written. */
export function renderText(text: string, values: TemplateValues): string {
	return parseTemplate(text)
		.parts.map((part) => ('text' in part ? part.text : (values[part.placeholder] ?? '')))
		.join('');
}

/**
 * P14: the mail of a template: the subject on one line (S108: no header injection), the body as plain text with the
 * values as they are (text/plain: nothing in a value is markup) and line breaks as `\n`.
 */
export function renderTemplate(
	template: { subject: string; body: string },
	values: TemplateValues
): { subject: string; text: string } {
	return {
		subject: oneLine(renderText(template.subject, values)),
		text: renderText(template.body.replace(/\r\n?/g, '\n'), values)
	};
}
