// P13: the password reset mail (plain text: every mail program shows it). Invitations use templates (P14, mail/templates).

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
