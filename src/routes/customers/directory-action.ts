// What a directory row's menu asks the screen to do (P7); links (view, licenses) are plain links in the menu.
export type DirectoryAction = {
	readonly kind: 'portal' | 'service' | 'backup' | 'export' | 'remove';
	readonly customerId: string;
};
