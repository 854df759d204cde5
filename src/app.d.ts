// Ambient types for SvelteKit and the PWA plugin's virtual modules.
/// <reference types="vite-plugin-pwa/client" />
/// <reference types="vite-plugin-pwa/info" />
declare global {
	namespace App {}
}

export {};
