// P13: the texts of the portal's mails (plain text: every mail program shows it, and no template can inject markup).

export function invitationMail(input: { tenantName: string; link: string; expiresAt: Date }): {
	subject: string;
	text: string;
} {
	return {
		subject: `You are invited to ${input.tenantName} on the MSP Portal`,
		text: [
			`You have been invited to join ${input.tenantName} on the MSP Portal.`,
			'',
			'Open this link to choose your password and sign in:',
			input.link,
			'',
			`The link works once and until ${input.expiresAt.toUTCString()}.`,
			'If you did not expect this invitation, ignore this mail.'
		].join('\n')
	};
}

export function passwordResetMail(input: { tenantName: string; link: string; expiresAt: Date }): {
	subject: string;
	text: string;
} {
	return {
		subject: `Set a new password for ${input.tenantName} on the MSP Portal`,
		text: [
			`An administrator of ${input.tenantName} sent you a link to set a new password for the MSP Portal.`,
			'',
			input.link,
			'',
			`The link works once and until ${input.expiresAt.toUTCString()}. Setting a new password signs you out on every device.`,
			'If you did not ask for this, tell your administrator.'
		].join('\n')
	};
}
