// P10: the palette's colours in words (the colour is never the only cue: every chip shows its name).
import { m } from '$lib/paraglide/messages.js';
import type { SmartTagColour } from '$lib/schema/smart-tags';

const LABELS: Record<SmartTagColour, () => string> = {
	grey: m.tags_colour_grey,
	blue: m.tags_colour_blue,
	teal: m.tags_colour_teal,
	green: m.tags_colour_green,
	amber: m.tags_colour_amber,
	orange: m.tags_colour_orange,
	red: m.tags_colour_red,
	pink: m.tags_colour_pink,
	purple: m.tags_colour_purple
};

export const colourLabel = (colour: SmartTagColour): string => LABELS[colour]();
