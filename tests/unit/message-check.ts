// The check that every message exists in every language with the same parameters, that Polish plurals have all their
// forms and that nothing is simply English copied. Pure: it reads parsed JSON (inlang message format), no Paraglide compile.

/** One message: a pattern string, or variants (declarations, selectors, match) as the inlang message format writes them. */
export type MessageFile = Record<string, unknown>;

export type IssueKind = 'missing' | 'extra' | 'parameters' | 'pluralForms' | 'copied' | 'invalid';

export interface MessageIssue {
	readonly kind: IssueKind;
	readonly locale: string;
	readonly key: string;
	readonly detail: string;
}

export interface CheckOptions {
	/** The language every other is checked against (en). */
	readonly base: string;
	/** The plural forms each plural message must cover, per language (pl: one, few, many, *). */
	readonly pluralForms: Readonly<Record<string, readonly string[]>>;
	/** Words that are the same in every language (OK, CSV, brand names): a text made only of them may equal English. */
	readonly sameWords: ReadonlySet<string>;
}

interface Variant {
	readonly declarations?: readonly string[];
	readonly selectors?: readonly string[];
	readonly match: Readonly<Record<string, string>>;
}

interface Parsed {
	/** Inputs and placeholders, without the locals the message declares itself. */
	readonly parameters: ReadonlySet<string>;
	/** Selector name -> the values its match keys use, for selectors declared `local x = y: plural`. */
	readonly plurals: ReadonlyMap<string, ReadonlySet<string>>;
	/** Every pattern, joined: what is compared with English. */
	readonly text: string;
}

const PLACEHOLDER = /\{\s*([A-Za-z_][\w]*)\s*\}/g;

function placeholders(pattern: string): string[] {
	return [...pattern.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

function isVariant(value: unknown): value is Variant {
	if (typeof value !== 'object' || value === null) return false;
	const { match, declarations, selectors } = value as Record<string, unknown>;
	const strings = (list: unknown) =>
		list === undefined || (Array.isArray(list) && list.every((x) => typeof x === 'string'));
	return (
		typeof match === 'object' &&
		match !== null &&
		Object.values(match).every((pattern) => typeof pattern === 'string') &&
		strings(declarations) &&
		strings(selectors)
	);
}

/** Reads one message; null when it is neither a string nor a list of variants. */
export function parseMessage(value: unknown): Parsed | null {
	if (typeof value === 'string') return { parameters: new Set(placeholders(value)), plurals: new Map(), text: value };
	if (!Array.isArray(value) || value.length === 0 || !value.every(isVariant)) return null;
	const parameters = new Set<string>();
	const locals = new Set<string>();
	const pluralSelectors = new Set<string>();
	const texts: string[] = [];
	const plurals = new Map<string, Set<string>>();
	for (const variant of value) {
		for (const declaration of variant.declarations ?? []) {
			const input = /^input\s+([A-Za-z_]\w*)$/.exec(declaration.trim());
			if (input) parameters.add(input[1]!);
			const local = /^local\s+([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*:\s*(\w+)/.exec(declaration.trim());
			if (local) {
				locals.add(local[1]!);
				parameters.add(local[2]!);
				if (local[3] === 'plural') pluralSelectors.add(local[1]!);
			}
		}
		for (const [key, pattern] of Object.entries(variant.match)) {
			texts.push(pattern);
			for (const name of placeholders(pattern)) if (!locals.has(name)) parameters.add(name);
			for (const part of key.split(/\s*,\s*/)) {
				const [selector, option] = part.split('=').map((side) => side.trim());
				if (selector === undefined || option === undefined || !pluralSelectors.has(selector)) continue;
				let options = plurals.get(selector);
				if (!options) plurals.set(selector, (options = new Set()));
				options.add(option);
			}
		}
	}
	return { parameters, plurals, text: texts.join('\n') };
}

const sorted = (set: ReadonlySet<string>): string => [...set].sort().join(', ');

/** A text made only of placeholders, numbers, punctuation and words that are the same everywhere. */
function languageNeutral(text: string, sameWords: ReadonlySet<string>): boolean {
	const words = text.replace(PLACEHOLDER, ' ').match(/\p{L}[\p{L}\p{M}'’.-]*/gu) ?? [];
	return words.every((word) => sameWords.has(word.toLowerCase().replace(/[.'’-]+$/u, '')));
}

/** Every issue of `files` (locale -> parsed JSON), each with its key and language, in file order. */
export function checkMessages(files: Readonly<Record<string, MessageFile>>, options: CheckOptions): MessageIssue[] {
	const issues: MessageIssue[] = [];
	const base = files[options.base];
	if (!base) return [{ kind: 'missing', locale: options.base, key: '*', detail: 'the base language has no file' }];
	const keys = (file: MessageFile) => Object.keys(file).filter((key) => key !== '$schema');
	const baseMessages = new Map<string, Parsed>();
	for (const key of keys(base)) {
		const parsed = parseMessage(base[key]);
		if (parsed) baseMessages.set(key, parsed);
		else issues.push({ kind: 'invalid', locale: options.base, key, detail: 'neither a text nor a list of variants' });
	}
	for (const [locale, file] of Object.entries(files)) {
		if (locale === options.base) continue;
		for (const key of keys(base)) {
			if (!(key in file)) issues.push({ kind: 'missing', locale, key, detail: 'not translated' });
		}
		for (const key of keys(file)) {
			const english = baseMessages.get(key);
			if (!(key in base)) {
				issues.push({ kind: 'extra', locale, key, detail: `not a message of ${options.base}` });
				continue;
			}
			const parsed = parseMessage(file[key]);
			if (!parsed) {
				issues.push({ kind: 'invalid', locale, key, detail: 'neither a text nor a list of variants' });
				continue;
			}
			if (!english) continue;
			if (sorted(parsed.parameters) !== sorted(english.parameters))
				issues.push({
					kind: 'parameters',
					locale,
					key,
					detail: `{${sorted(parsed.parameters)}} where ${options.base} has {${sorted(english.parameters)}}`
				});
			const forms = options.pluralForms[locale];
			if (forms) {
				for (const [selector, present] of parsed.plurals) {
					const lacking = forms.filter((form) => !present.has(form));
					if (lacking.length > 0)
						issues.push({ kind: 'pluralForms', locale, key, detail: `${selector} lacks ${lacking.join(', ')}` });
				}
			}
			if (parsed.text === english.text && !languageNeutral(parsed.text, options.sameWords))
				issues.push({
					kind: 'copied',
					locale,
					key,
					detail: `the ${options.base} text: ${JSON.stringify(parsed.text)}`
				});
		}
	}
	return issues;
}

/** One line per issue, for a test's failure message. */
export function describeIssue(issue: MessageIssue): string {
	return `${issue.locale} ${issue.key}: ${issue.kind}: ${issue.detail}`;
}
