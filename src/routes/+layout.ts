// The app is a single-page PWA: every page renders in the browser from the local replica.
export const ssr = false;
export const prerender = false;
