// Country codes for the dashboard map: ISO 3166-1 alpha-2 (on customer nodes) <-> ISO numeric (world-atlas feature ids),
// and a country's name in the person's language from the browser's own data (Intl.DisplayNames, no download).
import countries from 'i18n-iso-countries';

/** The alpha-2 code of a world-atlas feature id ("276" -> "DE"); null for a feature without a code (e.g. "N. Cyprus"). */
export function alpha2OfNumeric(id: string | number | undefined): string | null {
	if (id === undefined || id === '') return null;
	return countries.numericToAlpha2(id) ?? null;
}

/** The world-atlas feature id of an alpha-2 code ("DE" -> "276"); null when ISO has no numeric code for it. */
export function numericOfAlpha2(code: string): string | null {
	return countries.alpha2ToNumeric(code) ?? null;
}

const displayNames = new Map<string, Intl.DisplayNames | null>();

/** The country's name in `locale` ("DE" -> "Germany"); the code itself when the browser does not know it. */
export function countryName(code: string, locale: string): string {
	let names = displayNames.get(locale);
	if (names === undefined) {
		try {
			names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
		} catch {
			names = null;
		}
		displayNames.set(locale, names);
	}
	try {
		return names?.of(code) ?? code;
	} catch {
		return code;
	}
}
