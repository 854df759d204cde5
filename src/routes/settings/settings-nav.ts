// The parts of the settings screen, each its own route under /settings, in the order of the sub-navigation.
import { resolve } from '$app/paths';
import { m } from '$lib/paraglide/messages.js';

export interface SettingsPage {
	/** The resolved path (`resolve('/settings/tags')`). */
	readonly href: string;
	readonly label: () => string;
	readonly testid: string;
}

export const SETTINGS_PAGES: readonly SettingsPage[] = [
	{ href: resolve('/settings'), label: m.settings_nav_general, testid: 'settings-nav-general' },
	{ href: resolve('/settings/insights'), label: m.insights_nav, testid: 'settings-nav-insights' },
	{ href: resolve('/settings/tags'), label: m.settings_nav_tags, testid: 'settings-nav-tags' },
	{ href: resolve('/settings/templates'), label: m.settings_nav_templates, testid: 'settings-nav-templates' }
];
