// What a row of the license table asks the screen to open (each action has its dialog).
export type LicenseAction =
	| { readonly kind: 'tag' | 'history' | 'extend' | 'convert' | 'delete'; readonly licenseId: string }
	| { readonly kind: 'move'; readonly poolId: string }
	| { readonly kind: 'suspend'; readonly companyId: string };
